/**
 * Length hiding: plaintexts are padded to 256-byte buckets before encryption, so a 1-byte
 * and a 200-byte message produce envelopes of the same size.
 *
 * Layout: u32 big-endian length | plaintext | zero bytes up to a multiple of 256.
 */
import { CryptoError } from './errors';

/** Bucket size in bytes. */
export const PAD_BUCKET = 256;
const PREFIX = 4;
// Records larger than this are a bug (or an attack on memory); the length field is u32 anyway.
const MAX_PLAINTEXT = 0xffffffff - PAD_BUCKET;

/** Pad `p` to the next 256-byte bucket (always at least one bucket). */
export function pad(p: Uint8Array): Uint8Array {
  if (p.length > MAX_PLAINTEXT) throw new RangeError('pad: plaintext too large');
  const total = Math.ceil((PREFIX + p.length) / PAD_BUCKET) * PAD_BUCKET;
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, p.length, false);
  out.set(p, PREFIX);
  return out;
}

/**
 * Strip padding. Throws CryptoError('bad-envelope') unless the input is a whole number of
 * buckets, the length fits, and every padding byte is zero (one plaintext, one encoding).
 */
export function unpad(p: Uint8Array): Uint8Array {
  if (p.length === 0 || p.length % PAD_BUCKET !== 0) {
    throw new CryptoError('bad-envelope', 'Padding is not a whole number of buckets.');
  }
  const len = new DataView(p.buffer, p.byteOffset, p.byteLength).getUint32(0, false);
  if (len > p.length - PREFIX) throw new CryptoError('bad-envelope', 'Padded length is invalid.');
  // The smallest bucket count that fits: a longer padding is not what pad() produces.
  if (Math.ceil((PREFIX + len) / PAD_BUCKET) * PAD_BUCKET !== p.length) {
    throw new CryptoError('bad-envelope', 'Padding is longer than needed.');
  }
  let nonZero = 0;
  for (let i = PREFIX + len; i < p.length; i++) nonZero |= p[i] ?? 0;
  if (nonZero !== 0) throw new CryptoError('bad-envelope', 'Padding bytes are not zero.');
  return p.slice(PREFIX, PREFIX + len);
}
