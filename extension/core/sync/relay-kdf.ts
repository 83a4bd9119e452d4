/**
 * KDF downgrade protection at relay login. A hostile relay answers prelogin/login with the
 * KDF parameters and salt to derive authKey from; weaker parameters would make each guess of
 * the passphrase cheaper for anyone who later sees the derived authKey, and a changed salt
 * would make this device derive against parameters the relay chose. Both are refused
 * BEFORE Argon2id runs, against the parameters pinned on this device at vault creation/unlock.
 */
import {
  assertKdfAcceptable,
  isCryptoError,
  type KdfParams as CryptoKdfParams,
} from '../../../shared/crypto';
import type { KdfParams } from '../../../shared/protocol';
import { SyncError } from './errors';

/** What this device pinned for the vault: the header's KDF parameters and salt (base64). */
export interface PinnedKdf {
  kdf: CryptoKdfParams;
  salt: string;
}

/**
 * Throws SyncError('kdf-downgrade') when the relay offers parameters below the floor, weaker
 * than pinned (shared/crypto's downgrade rule), malformed, or a different salt.
 */
export function assertRelayKdf(offered: { kdf: KdfParams; salt: string }, pinned: PinnedKdf): void {
  try {
    assertKdfAcceptable(offered.kdf, pinned.kdf);
  } catch (cause) {
    if (!isCryptoError(cause)) throw cause;
    throw new SyncError(
      'kdf-downgrade',
      'The relay offered weaker key-derivation settings than this device uses; login refused.',
      { reason: cause.code },
      { cause },
    );
  }
  if (offered.salt !== pinned.salt) {
    throw new SyncError(
      'kdf-downgrade',
      'The relay offered a different key-derivation salt than this vault uses; login refused.',
      { reason: 'salt-changed' },
    );
  }
}
