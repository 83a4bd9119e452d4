/** Validation of untrusted vault headers (from IndexedDB, an import file, or the relay). */
import { fromBase64 } from './bytes';
import { CryptoError } from './errors';
import { assertKdfWellFormed } from './kdf';
import type { VaultHeader } from './vault';

function str(o: Record<string, unknown>, field: string): string {
  const v = o[field];
  if (typeof v !== 'string')
    throw new CryptoError('bad-envelope', `Vault header: ${field} is missing.`);
  return v;
}

/**
 * Check an untrusted value is a well-formed VaultHeader and return a clean copy.
 * Throws unsupported-version (v !== 1), kdf-invalid, bad-encoding (base64/salt) or bad-envelope.
 * Does not check the KDF floor or pin (unlockVault does, before deriving).
 */
export function parseVaultHeader(input: unknown): VaultHeader {
  if (typeof input !== 'object' || input === null) {
    throw new CryptoError('bad-envelope', 'Vault header is not an object.');
  }
  const o = input as Record<string, unknown>;
  if (o.v !== 1) throw new CryptoError('unsupported-version', undefined, { details: { v: o.v } });
  const vaultId = str(o, 'vaultId');
  if (vaultId.length === 0 || vaultId.length > 255) {
    throw new CryptoError('bad-envelope', 'Vault header: vaultId is invalid.');
  }
  assertKdfWellFormed(o.kdf);
  const { alg, memoryKiB, iterations, parallelism } = o.kdf;
  const salt = str(o, 'salt');
  if (fromBase64(salt).length !== 16)
    throw new CryptoError('bad-encoding', 'Vault header: salt must be 16 bytes.');
  const wrappedAk = str(o, 'wrappedAk');
  const wrappedAkRecovery = str(o, 'wrappedAkRecovery');
  fromBase64(wrappedAk);
  fromBase64(wrappedAkRecovery);
  const createdAt = o.createdAt;
  if (typeof createdAt !== 'number' || !Number.isSafeInteger(createdAt) || createdAt < 0) {
    throw new CryptoError('bad-envelope', 'Vault header: createdAt is invalid.');
  }
  return {
    v: 1,
    vaultId,
    kdf: { alg, memoryKiB, iterations, parallelism },
    salt,
    wrappedAk,
    wrappedAkRecovery,
    createdAt,
  };
}
