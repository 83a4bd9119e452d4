/** HKDF-SHA256 (RFC 5869) via WebCrypto. */
import { utf8Encode } from './bytes';

// RFC 5869: L <= 255 * HashLen.
const MAX_OUTPUT = 255 * 32;

/**
 * HKDF-SHA256. `info` strings are UTF-8 encoded. Output length in bytes (1..8160).
 * An empty salt means "HashLen zero bytes", as in the RFC.
 */
export async function hkdf(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array | string,
  length: number,
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(length) || length < 1 || length > MAX_OUTPUT) {
    throw new RangeError(`hkdf: length must be 1..${MAX_OUTPUT}`);
  }
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', ikm as BufferSource, 'HKDF', false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: salt as BufferSource,
      info: (typeof info === 'string' ? utf8Encode(info) : info) as BufferSource,
    },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}
