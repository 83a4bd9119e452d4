/**
 * AES-256-GCM over raw key bytes, with imported CryptoKeys cached per key array.
 * @internal HAZMAT: use seal()/open() (records) or wrapKey()/unwrapKey() (keys). These
 * functions do not pick nonces; reusing a (key, nonce) pair destroys GCM's security.
 */
import { constantTimeEqual } from './bytes';
import { CryptoError } from './errors';

/** AES-256 key length in bytes. */
export const AES_KEY_BYTES = 32;
/** GCM nonce length in bytes (96-bit, the only size WebCrypto and the spec recommend). */
export const GCM_NONCE_BYTES = 12;
/** GCM tag length in bytes. */
export const GCM_TAG_BYTES = 16;

interface CachedKey {
  // A private copy of the bytes the CryptoKey was imported from: if the caller mutates or
  // wipes its array (e.g. on lock), the stale CryptoKey must not keep working.
  bytes: Uint8Array;
  /** The import, shared by every call made while it runs (a page of 1,000 opens at once). */
  key: Promise<CryptoKey>;
}

// Keyed by the caller's Uint8Array object, so entries die with it (no global key registry).
const cache = new WeakMap<Uint8Array, CachedKey>();

/** Views over possibly-shared buffers are fine for WebCrypto, which copies its inputs. */
function buf(b: Uint8Array): BufferSource {
  return b as BufferSource;
}

async function importAesKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== AES_KEY_BYTES) {
    throw new RangeError(`AES-256-GCM key must be ${AES_KEY_BYTES} bytes`);
  }
  const hit = cache.get(raw);
  if (hit !== undefined && constantTimeEqual(hit.bytes, raw)) return hit.key;
  const bytes = raw.slice();
  const key = globalThis.crypto.subtle.importKey('raw', buf(bytes), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  const entry = { bytes, key };
  cache.set(raw, entry);
  // A failed import is not remembered (unless the entry was replaced meanwhile).
  key.catch(() => cache.get(raw) === entry && cache.delete(raw));
  return key;
}

/** Drop the cached CryptoKey for `raw` (call before wiping key arrays on lock). */
export function forgetAesKey(raw: Uint8Array): void {
  cache.get(raw)?.bytes.fill(0);
  cache.delete(raw);
}

function checkNonce(nonce: Uint8Array): void {
  if (nonce.length !== GCM_NONCE_BYTES) {
    throw new RangeError(`AES-GCM nonce must be ${GCM_NONCE_BYTES} bytes`);
  }
}

/**
 * AES-256-GCM encrypt; returns ciphertext || 16-byte tag.
 * @internal HAZMAT: use seal()/open()
 */
export async function aesGcmEncrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  checkNonce(nonce);
  const k = await importAesKey(key);
  const out = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: buf(nonce), additionalData: buf(aad), tagLength: GCM_TAG_BYTES * 8 },
    k,
    buf(plaintext),
  );
  return new Uint8Array(out);
}

/**
 * AES-256-GCM decrypt of ciphertext || tag. Any authentication failure (wrong key, wrong
 * AAD, modified bytes, too short) throws CryptoError('decrypt-failed').
 * @internal HAZMAT: use seal()/open()
 */
export async function aesGcmDecrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  checkNonce(nonce);
  const k = await importAesKey(key);
  if (ciphertext.length < GCM_TAG_BYTES) throw new CryptoError('decrypt-failed');
  try {
    const out = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: buf(nonce), additionalData: buf(aad), tagLength: GCM_TAG_BYTES * 8 },
      k,
      buf(ciphertext),
    );
    return new Uint8Array(out);
  } catch (cause) {
    throw new CryptoError('decrypt-failed', undefined, { cause });
  }
}
