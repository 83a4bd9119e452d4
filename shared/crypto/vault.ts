/**
 * The high-level vault API the extension uses: create, unlock (passphrase + Secret Key, or
 * Recovery Key), change passphrase, rotate Recovery Key, rebuild keys from AK, lock.
 *
 * The header is safe to store anywhere (IndexedDB, the relay): it holds only KDF
 * parameters, a salt and AK wrapped twice (under the KEK and under the Recovery Key).
 */
import { fromBase64, randomBytes, toBase64, toHex, wipe } from './bytes';
import { forgetAesKey } from './aead';
import type { CollectionKey } from './envelope';
import { CryptoError, isCryptoError } from './errors';
import { formatRecoveryKey, generateRecoveryKey, generateSecretKey } from './key-format';
import { formatSecretKey, parseRecoveryKey, parseSecretKey } from './key-format';
import {
  deriveAuthKey,
  deriveCollectionKeys,
  deriveKek,
  deriveMuk,
  deriveRecoveryWrappingKey,
  SALT_BYTES,
  unwrapKey,
  wrapKey,
  type Collection,
} from './keys';
import { assertKdfAcceptable, DEFAULT_KDF, type KdfParams } from './kdf';
import { parseVaultHeader } from './vault-header';

export { parseVaultHeader } from './vault-header';

/** What is stored (and synced) to unlock a vault. Contains no secret in the clear. */
export interface VaultHeader {
  v: 1;
  vaultId: string;
  kdf: KdfParams;
  /** b64, 16 bytes */
  salt: string;
  /** b64, AK wrapped under KEK */
  wrappedAk: string;
  /** b64, AK wrapped under the Recovery Key */
  wrappedAkRecovery: string;
  createdAt: number;
}

/** An unlocked vault after a passphrase unlock. Keep in memory / storage.session only. */
export interface UnlockedVault {
  vaultId: string;
  ak: Uint8Array;
  /** The relay login secret (see deriveAuthKey). */
  authKey: Uint8Array;
  keys: Record<Collection, CollectionKey>;
}

/**
 * A vault opened without the passphrase (Recovery Key, or AK from storage.session): it has no
 * authKey, because authKey comes from the passphrase. After a recovery unlock the caller must
 * set a new passphrase ({@link changePassphraseAndUnlock}) to log in to the relay again.
 */
export type RecoveredVault = Omit<UnlockedVault, 'authKey'>;

/** The part of a vault needed to re-wrap AK. Both UnlockedVault and RecoveredVault fit. */
export type VaultAk = Pick<UnlockedVault, 'vaultId' | 'ak'>;

/** Minimum passphrase length in Unicode code points (after NFKC). */
export const MIN_PASSPHRASE_CHARS = 8;

const AK_PURPOSE = 'ak';
const AK_RECOVERY_PURPOSE = 'ak-recovery';

/**
 * Throw CryptoError('weak-passphrase') for an empty or too-short passphrase. A strength meter
 * (zxcvbn) belongs in the UI; this is the hard floor the library enforces.
 */
export function assertPassphraseAcceptable(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.trim().length === 0) {
    throw new CryptoError('weak-passphrase', 'The passphrase is empty.');
  }
  if ([...passphrase.normalize('NFKC')].length < MIN_PASSPHRASE_CHARS) {
    throw new CryptoError(
      'weak-passphrase',
      `The passphrase must be at least ${MIN_PASSPHRASE_CHARS} characters.`,
    );
  }
}

async function wrapAkForPassphrase(
  vaultId: string,
  ak: Uint8Array,
  passphrase: string,
  secretKey: Uint8Array,
  kdf: KdfParams,
): Promise<{ salt: string; wrappedAk: string; authKey: Uint8Array }> {
  const salt = randomBytes(SALT_BYTES);
  const muk = await deriveMuk(passphrase, secretKey, vaultId, salt, kdf);
  const kek = await deriveKek(muk);
  try {
    const wrapped = await wrapKey(kek, ak, { vaultId, purpose: AK_PURPOSE });
    return {
      salt: toBase64(salt),
      wrappedAk: toBase64(wrapped),
      authKey: await deriveAuthKey(muk),
    };
  } finally {
    wipe(muk);
    forgetAesKey(kek);
    wipe(kek);
  }
}

async function wrapAkForRecovery(
  vaultId: string,
  ak: Uint8Array,
): Promise<{ wrapped: string; recoveryKey: string }> {
  const rk = generateRecoveryKey();
  const rwk = await deriveRecoveryWrappingKey(rk, vaultId);
  try {
    const wrapped = await wrapKey(rwk, ak, { vaultId, purpose: AK_RECOVERY_PURPOSE });
    return { wrapped: toBase64(wrapped), recoveryKey: formatRecoveryKey(rk) };
  } finally {
    wipe(rk);
    forgetAesKey(rwk);
    wipe(rwk);
  }
}

/**
 * Create a vault. Returns the header to store, the Secret Key and Recovery Key strings to
 * show once in the Emergency Kit, and the unlocked vault. `kdf` defaults to DEFAULT_KDF;
 * pass calibrateKdf()'s result on slow devices.
 */
export async function createVault(input: {
  passphrase: string;
  kdf?: KdfParams;
  vaultId?: string;
}): Promise<{ header: VaultHeader; secretKey: string; recoveryKey: string; vault: UnlockedVault }> {
  assertPassphraseAcceptable(input.passphrase);
  const kdf = { ...(input.kdf ?? DEFAULT_KDF) };
  assertKdfAcceptable(kdf);
  const vaultId = input.vaultId ?? toHex(randomBytes(16));
  if (typeof vaultId !== 'string' || vaultId.length === 0 || vaultId.length > 255) {
    throw new RangeError('vaultId must be a non-empty string of at most 255 characters');
  }
  const sk = generateSecretKey();
  const ak = randomBytes(32);
  const pass = await wrapAkForPassphrase(vaultId, ak, input.passphrase, sk, kdf);
  const recovery = await wrapAkForRecovery(vaultId, ak);
  const header: VaultHeader = {
    v: 1,
    vaultId,
    kdf,
    salt: pass.salt,
    wrappedAk: pass.wrappedAk,
    wrappedAkRecovery: recovery.wrapped,
    createdAt: Date.now(),
  };
  const secretKey = formatSecretKey(sk);
  wipe(sk);
  const keys = await deriveCollectionKeys(ak, vaultId);
  return {
    header,
    secretKey,
    recoveryKey: recovery.recoveryKey,
    vault: { vaultId, ak, authKey: pass.authKey, keys },
  };
}

/**
 * Unlock with passphrase + Secret Key. The KDF parameters are checked against the floor and
 * `opts.pinned` before any derivation. A wrong passphrase and a wrong (but well-formed)
 * Secret Key both throw 'wrong-passphrase', so neither is confirmed separately; a Secret Key
 * with a typo (bad checksum) throws 'bad-secret-key'.
 */
export async function unlockVault(
  header: VaultHeader,
  passphrase: string,
  secretKey: string,
  opts?: { pinned?: KdfParams },
): Promise<UnlockedVault> {
  const h = parseVaultHeader(header);
  assertKdfAcceptable(h.kdf, opts?.pinned);
  const sk = parseSecretKey(secretKey);
  const muk = await deriveMuk(passphrase, sk, h.vaultId, fromBase64(h.salt), h.kdf, opts?.pinned);
  wipe(sk);
  const kek = await deriveKek(muk);
  let ak: Uint8Array;
  try {
    ak = await unwrapKey(kek, fromBase64(h.wrappedAk), { vaultId: h.vaultId, purpose: AK_PURPOSE });
  } catch (cause) {
    wipe(muk);
    if (isCryptoError(cause, 'decrypt-failed'))
      throw new CryptoError('wrong-passphrase', undefined, { cause });
    throw cause;
  } finally {
    forgetAesKey(kek);
    wipe(kek);
  }
  const authKey = await deriveAuthKey(muk);
  wipe(muk);
  return { ...(await openVaultFromAk(h.vaultId, ak)), authKey };
}

/** Unlock with the Recovery Key (no authKey: see {@link RecoveredVault}). bad-recovery-key. */
export async function unlockWithRecoveryKey(
  header: VaultHeader,
  recoveryKey: string,
): Promise<RecoveredVault> {
  const h = parseVaultHeader(header);
  const rk = parseRecoveryKey(recoveryKey);
  const rwk = await deriveRecoveryWrappingKey(rk, h.vaultId);
  wipe(rk);
  try {
    const ak = await unwrapKey(rwk, fromBase64(h.wrappedAkRecovery), {
      vaultId: h.vaultId,
      purpose: AK_RECOVERY_PURPOSE,
    });
    return await openVaultFromAk(h.vaultId, ak);
  } catch (cause) {
    if (isCryptoError(cause, 'decrypt-failed'))
      throw new CryptoError('bad-recovery-key', undefined, { cause });
    throw cause;
  } finally {
    forgetAesKey(rwk);
    wipe(rwk);
  }
}

function assertSameVault(header: VaultHeader, vault: VaultAk): VaultHeader {
  const h = parseVaultHeader(header);
  if (vault.vaultId !== h.vaultId || !(vault.ak instanceof Uint8Array) || vault.ak.length !== 32) {
    throw new CryptoError('bad-envelope', 'The unlocked vault does not belong to this header.');
  }
  return h;
}

/**
 * Set a new passphrase (and/or Secret Key, and/or KDF parameters): new salt, AK re-wrapped,
 * nothing else re-encrypted. `opts.kdf` defaults to the header's; it may not be weaker than
 * `opts.pinned ?? header.kdf`. Returns the new header and a full UnlockedVault (new authKey).
 */
export async function changePassphraseAndUnlock(
  header: VaultHeader,
  vault: VaultAk,
  newPassphrase: string,
  secretKey: string,
  opts?: { kdf?: KdfParams; pinned?: KdfParams },
): Promise<{ header: VaultHeader; vault: UnlockedVault }> {
  const h = assertSameVault(header, vault);
  assertPassphraseAcceptable(newPassphrase);
  const kdf = { ...(opts?.kdf ?? h.kdf) };
  assertKdfAcceptable(kdf, opts?.pinned ?? h.kdf);
  const sk = parseSecretKey(secretKey);
  const pass = await wrapAkForPassphrase(h.vaultId, vault.ak, newPassphrase, sk, kdf);
  wipe(sk);
  const newHeader: VaultHeader = { ...h, kdf, salt: pass.salt, wrappedAk: pass.wrappedAk };
  const opened = await openVaultFromAk(h.vaultId, vault.ak.slice());
  return { header: newHeader, vault: { ...opened, authKey: pass.authKey } };
}

/** {@link changePassphraseAndUnlock}, returning only the new header. */
export async function changePassphrase(
  header: VaultHeader,
  vault: VaultAk,
  newPassphrase: string,
  secretKey: string,
  opts?: { kdf?: KdfParams; pinned?: KdfParams },
): Promise<VaultHeader> {
  const result = await changePassphraseAndUnlock(header, vault, newPassphrase, secretKey, opts);
  lockVault(result.vault);
  return result.header;
}

/** Replace the Recovery Key (the old one stops working once the new header is stored). */
export async function rotateRecoveryKey(
  header: VaultHeader,
  vault: VaultAk,
): Promise<{ header: VaultHeader; recoveryKey: string }> {
  const h = assertSameVault(header, vault);
  const recovery = await wrapAkForRecovery(h.vaultId, vault.ak);
  return {
    header: { ...h, wrappedAkRecovery: recovery.wrapped },
    recoveryKey: recovery.recoveryKey,
  };
}

/** Rebuild the collection keys from AK (e.g. after reading AK back from storage.session). */
export async function openVaultFromAk(vaultId: string, ak: Uint8Array): Promise<RecoveredVault> {
  if (!(ak instanceof Uint8Array) || ak.length !== 32) {
    throw new CryptoError('bad-envelope', 'The account key has the wrong length.');
  }
  return { vaultId, ak, keys: await deriveCollectionKeys(ak, vaultId) };
}

/** Best-effort wipe of an unlocked vault's key material ("Lock now" / idle lock). */
export function lockVault(vault: RecoveredVault | UnlockedVault): void {
  for (const k of Object.values(vault.keys)) {
    forgetAesKey(k.key);
    wipe(k.key);
  }
  wipe(vault.ak);
  if ('authKey' in vault) wipe(vault.authKey);
}
