/**
 * Byte helpers that behave the same in browsers, MV3 service workers and Node 20:
 * `Uint8Array` only (no Buffer), `globalThis.crypto` only (no node: imports).
 */
import { CryptoError } from './errors';

const encoder = new TextEncoder();
// fatal: invalid UTF-8 must fail loudly instead of silently becoming U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 encode a string. */
export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Strict UTF-8 decode; throws CryptoError('bad-encoding') on invalid input. */
export function utf8Decode(b: Uint8Array): string {
  try {
    return decoder.decode(b);
  } catch (cause) {
    throw new CryptoError('bad-encoding', 'Invalid UTF-8.', { cause });
  }
}

/** Concatenate byte arrays into a new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

// btoa/atob take "binary strings"; chunk so String.fromCharCode never sees a huge argument list.
const CHUNK = 0x8000;

/** Standard, padded base64 (RFC 4648 §4). */
export function toBase64(b: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < b.length; i += CHUNK) {
    binary += String.fromCharCode(...b.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decode standard, padded base64. Rejects anything non-canonical (missing padding, stray
 * characters, non-zero trailing bits) with CryptoError('bad-encoding') so one value has
 * exactly one encoding.
 */
export function fromBase64(s: string): Uint8Array {
  if (typeof s !== 'string' || !BASE64_RE.test(s)) {
    throw new CryptoError('bad-encoding', 'Invalid base64.');
  }
  // The regex fixed the alphabet, length and padding; canonical also means the bits the
  // last character carries beyond the data are zero (4 of them before "==", 2 before "=").
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  if (pad > 0) {
    const last = BASE64_ALPHABET.indexOf(s.charAt(s.length - pad - 1));
    if ((last & (pad === 2 ? 0x0f : 0x03)) !== 0) {
      throw new CryptoError('bad-encoding', 'Non-canonical base64.');
    }
  }
  const binary = atob(s);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Unpadded base64url (RFC 4648 §5), handy for ids in URLs. */
export function toBase64Url(b: Uint8Array): string {
  return toBase64(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decode unpadded base64url; throws CryptoError('bad-encoding'). */
export function fromBase64Url(s: string): Uint8Array {
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) {
    throw new CryptoError('bad-encoding', 'Invalid base64url.');
  }
  const std = s.replace(/-/g, '+').replace(/_/g, '/');
  return fromBase64(std + '='.repeat((4 - (std.length % 4)) % 4));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (const byte of b) s += HEX[byte];
  return s;
}

/** Decode hex (either case); throws CryptoError('bad-encoding'). */
export function fromHex(s: string): Uint8Array {
  if (typeof s !== 'string' || s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) {
    throw new CryptoError('bad-encoding', 'Invalid hex.');
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

// getRandomValues refuses more than 65536 bytes per call.
const MAX_RANDOM = 65536;

/** Cryptographically secure random bytes from `globalThis.crypto`. */
export function randomBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('randomBytes: n must be >= 0');
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += MAX_RANDOM) {
    globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + MAX_RANDOM)));
  }
  return out;
}

/**
 * Compare without an early exit, so timing does not reveal where two MACs/keys differ.
 * Lengths are treated as public.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** Best-effort zeroing of key material we own (JS gives no guarantee copies don't exist). */
export function wipe(b: Uint8Array): void {
  b.fill(0);
}
