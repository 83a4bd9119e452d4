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

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BAD = 0xff;
/** Sextet value of each ASCII code; BAD for everything outside the standard alphabet. */
const DECODE = new Uint8Array(128).fill(BAD);
for (let i = 0; i < 64; i++) DECODE[BASE64_ALPHABET.charCodeAt(i)] = i;
const ENCODE = Uint8Array.from(BASE64_ALPHABET, (c) => c.charCodeAt(0));
const PAD = 0x3d; // '='

/** The ES2026 base64 built-ins (Chromium 140+, Firefox 133+; not in Node 20). */
interface NativeBase64 {
  fromBase64?: (s: string, o: { lastChunkHandling: 'strict' }) => Uint8Array;
  prototype: { toBase64?: (this: Uint8Array) => string };
}
const native = Uint8Array as unknown as NativeBase64;
/** @internal The built-in decoder, when the engine has one. */
export const nativeFromBase64 = native.fromBase64?.bind(Uint8Array);
const nativeToBase64 = native.prototype.toBase64;

// The encoder's output is ASCII, which every engine decodes on a fast path.
const ascii = new TextDecoder();

/** @internal Portable encoder (Node 20); {@link toBase64} uses the built-in when present. */
export function toBase64Portable(b: Uint8Array): string {
  const full = b.length - (b.length % 3);
  const out = new Uint8Array(Math.ceil(b.length / 3) * 4);
  let o = 0;
  for (let i = 0; i < full; i += 3) {
    const t = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    out[o++] = ENCODE[t >>> 18]!;
    out[o++] = ENCODE[(t >>> 12) & 63]!;
    out[o++] = ENCODE[(t >>> 6) & 63]!;
    out[o++] = ENCODE[t & 63]!;
  }
  if (full < b.length) {
    const t = (b[full]! << 16) | ((b[full + 1] ?? 0) << 8);
    out[o++] = ENCODE[t >>> 18]!;
    out[o++] = ENCODE[(t >>> 12) & 63]!;
    out[o] = full + 1 < b.length ? ENCODE[(t >>> 6) & 63]! : PAD;
    out[o + 1] = PAD;
  }
  return ascii.decode(out);
}

/** Standard, padded base64 (RFC 4648 §4). */
export function toBase64(b: Uint8Array): string {
  return nativeToBase64 === undefined ? toBase64Portable(b) : nativeToBase64.call(b);
}

const invalid = () => new CryptoError('bad-encoding', 'Invalid base64.');
const nonCanonical = () => new CryptoError('bad-encoding', 'Non-canonical base64.');

/** Padding characters at the end of `s` (0, 1 or 2); the caller checked `s.length % 4 === 0`. */
function padOf(s: string): number {
  const n = s.length;
  if (n === 0 || s.charCodeAt(n - 1) !== PAD) return 0;
  return s.charCodeAt(n - 2) === PAD ? 2 : 1;
}

/** Sextet of the character at `i`; throws on anything outside the standard alphabet. */
function sextet(s: string, i: number): number {
  const c = s.charCodeAt(i);
  const v = c < 128 ? DECODE[c]! : BAD;
  if (v === BAD) throw invalid();
  return v;
}

/** @internal Portable strict decoder (Node 20); {@link fromBase64} uses the built-in when present. */
export function fromBase64Portable(s: string): Uint8Array {
  if (typeof s !== 'string' || s.length % 4 !== 0) throw invalid();
  const pad = padOf(s);
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  const full = pad === 0 ? s.length : s.length - 4;
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const t = (sextet(s, i) << 18) | (sextet(s, i + 1) << 12) | (sextet(s, i + 2) << 6);
    const u = t | sextet(s, i + 3);
    out[o++] = u >>> 16;
    out[o++] = (u >>> 8) & 0xff;
    out[o++] = u & 0xff;
  }
  if (pad > 0) {
    const a = sextet(s, full);
    const b = sextet(s, full + 1);
    out[o++] = (a << 2) | (b >>> 4);
    // Canonical: the bits the last character carries beyond the data are zero.
    if (pad === 2) {
      if ((b & 0x0f) !== 0) throw nonCanonical();
    } else {
      const c = sextet(s, full + 2);
      if ((c & 0x03) !== 0) throw nonCanonical();
      out[o] = ((b & 0x0f) << 4) | (c >>> 2);
    }
  }
  return out;
}

/**
 * @internal The strict contract on top of the built-in decoder, which skips ASCII whitespace:
 * a length that is a multiple of 4 plus the exact decoded length rule out any whitespace.
 */
export function fromBase64With(
  decode: NonNullable<typeof nativeFromBase64>,
  s: string,
): Uint8Array {
  if (typeof s !== 'string' || s.length % 4 !== 0) throw invalid();
  let out: Uint8Array;
  try {
    out = decode(s, { lastChunkHandling: 'strict' });
  } catch (cause) {
    throw new CryptoError('bad-encoding', 'Invalid base64.', { cause });
  }
  if (out.length !== (s.length / 4) * 3 - padOf(s)) throw invalid();
  return out;
}

/**
 * Decode standard, padded base64. Rejects anything non-canonical (missing padding, stray
 * characters, whitespace, non-zero trailing bits) with CryptoError('bad-encoding') so one
 * value has exactly one encoding.
 */
export function fromBase64(s: string): Uint8Array {
  return nativeFromBase64 === undefined
    ? fromBase64Portable(s)
    : fromBase64With(nativeFromBase64, s);
}

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
