/**
 * The key hierarchy (design.md §2):
 *   PK  = Argon2id(NFKC(passphrase), salt16)
 *   MUK = HKDF(PK || SecretKey, salt = vaultId, "nook/muk/v1")
 *   authKey = HKDF(MUK, "nook/auth/v1")   (the only passphrase-derived value a relay sees)
 *   KEK = HKDF(MUK, "nook/kek/v1")         (wraps AK)
 *   DEK(collection) = HKDF(AK, salt = vaultId, "nook/dek/v1/<collection>")
 */
import { concatBytes, randomBytes, utf8Encode, wipe } from './bytes';
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  AES_KEY_BYTES,
  GCM_NONCE_BYTES,
  GCM_TAG_BYTES,
} from './aead';
import type { CollectionKey } from './envelope';
import { CryptoError } from './errors';
import { hkdf } from './hkdf';
import { argon2id, assertKdfAcceptable, normalizePassphrase, type KdfParams } from './kdf';

export {
  formatRecoveryKey,
  formatSecretKey,
  generateRecoveryKey,
  generateSecretKey,
  parseRecoveryKey,
  parseSecretKey,
} from './key-format';

/** Every encrypted collection; each gets its own DEK. */
export const COLLECTIONS = [
  'conversations',
  'messages',
  'memory',
  'settings',
  'secrets',
  'ledger',
  'personas',
  'prompts',
  'usage',
] as const;
/** One of {@link COLLECTIONS}. */
export type Collection = (typeof COLLECTIONS)[number];

/** Bytes of the Argon2id salt stored in the vault header. */
export const SALT_BYTES = 16;
const NO_SALT = new Uint8Array(0);

function requireLength(name: string, b: Uint8Array, n: number): void {
  if (!(b instanceof Uint8Array) || b.length !== n)
    throw new RangeError(`${name} must be ${n} bytes`);
}

/**
 * Derive the Master Unlock Key. Checks the KDF parameters (floor, pin) BEFORE running
 * Argon2id, so a hostile header cannot make us derive with weak parameters.
 */
export async function deriveMuk(
  passphrase: string,
  secretKey: Uint8Array,
  vaultId: string,
  salt: Uint8Array,
  params: KdfParams,
  pinned?: KdfParams,
): Promise<Uint8Array> {
  assertKdfAcceptable(params, pinned);
  requireLength('secretKey', secretKey, 16);
  requireLength('salt', salt, SALT_BYTES);
  const pk = await argon2id(normalizePassphrase(passphrase), salt, params, 32);
  const ikm = concatBytes(pk, secretKey);
  try {
    return await hkdf(ikm, utf8Encode(vaultId), 'nook/muk/v1', 32);
  } finally {
    wipe(pk);
    wipe(ikm);
  }
}

/** The relay login secret. Separated from the KEK by HKDF info, so it cannot unwrap AK. */
export async function deriveAuthKey(muk: Uint8Array): Promise<Uint8Array> {
  requireLength('muk', muk, 32);
  return hkdf(muk, NO_SALT, 'nook/auth/v1', 32);
}

/** The key-encryption key that wraps AK. Never leaves the device. */
export async function deriveKek(muk: Uint8Array): Promise<Uint8Array> {
  requireLength('muk', muk, 32);
  return hkdf(muk, NO_SALT, 'nook/kek/v1', 32);
}

/** The key that wraps AK for the Recovery Key (domain-separated from the raw recovery bytes). */
export async function deriveRecoveryWrappingKey(
  recoveryKey: Uint8Array,
  vaultId: string,
): Promise<Uint8Array> {
  requireLength('recoveryKey', recoveryKey, 32);
  return hkdf(recoveryKey, utf8Encode(vaultId), 'nook/recovery/v1', 32);
}

const WRAP_VERSION = 1;
const WRAP_DOMAIN = utf8Encode('nook/wrap/v1');

function wrapAad(label: { vaultId: string; purpose: string }): Uint8Array {
  const parts = [WRAP_DOMAIN, utf8Encode(label.vaultId), utf8Encode(label.purpose)];
  return concatBytes(
    ...parts.flatMap((p) => {
      const len = new Uint8Array(4);
      new DataView(len.buffer).setUint32(0, p.length, false);
      return [len, p];
    }),
  );
}

/**
 * Wrap a key: v(1)=1 | nonce(12) | AES-256-GCM(ct+tag), AAD bound to vaultId and purpose so
 * a wrapped key cannot be moved to another vault or slot.
 */
export async function wrapKey(
  wrappingKey: Uint8Array,
  keyToWrap: Uint8Array,
  label: { vaultId: string; purpose: string },
): Promise<Uint8Array> {
  requireLength('wrappingKey', wrappingKey, AES_KEY_BYTES);
  const nonce = randomBytes(GCM_NONCE_BYTES);
  const ct = await aesGcmEncrypt(wrappingKey, nonce, keyToWrap, wrapAad(label));
  return concatBytes(Uint8Array.of(WRAP_VERSION), nonce, ct);
}

/** Unwrap a key from {@link wrapKey}; any mismatch throws CryptoError('decrypt-failed'). */
export async function unwrapKey(
  wrappingKey: Uint8Array,
  wrapped: Uint8Array,
  label: { vaultId: string; purpose: string },
): Promise<Uint8Array> {
  requireLength('wrappingKey', wrappingKey, AES_KEY_BYTES);
  if (!(wrapped instanceof Uint8Array) || wrapped.length < 1 + GCM_NONCE_BYTES + GCM_TAG_BYTES) {
    throw new CryptoError('decrypt-failed', 'Wrapped key is truncated.');
  }
  if (wrapped[0] !== WRAP_VERSION) {
    throw new CryptoError('unsupported-version', undefined, { details: { version: wrapped[0] } });
  }
  const nonce = wrapped.subarray(1, 1 + GCM_NONCE_BYTES);
  return aesGcmDecrypt(wrappingKey, nonce, wrapped.subarray(1 + GCM_NONCE_BYTES), wrapAad(label));
}

/** The DEK of one collection, derived from AK (so it never needs storing). keyId "<collection>:1". */
export async function deriveCollectionKey(
  ak: Uint8Array,
  vaultId: string,
  collection: Collection,
): Promise<CollectionKey> {
  requireLength('ak', ak, 32);
  const key = await hkdf(ak, utf8Encode(vaultId), `nook/dek/v1/${collection}`, 32);
  return { keyId: `${collection}:1`, key };
}

/** All collection keys for a vault. */
export async function deriveCollectionKeys(
  ak: Uint8Array,
  vaultId: string,
): Promise<Record<Collection, CollectionKey>> {
  const entries = await Promise.all(
    COLLECTIONS.map(async (c) => [c, await deriveCollectionKey(ak, vaultId, c)] as const),
  );
  return Object.fromEntries(entries) as Record<Collection, CollectionKey>;
}
