/**
 * Human-readable Secret Key and Recovery Key strings (Emergency Kit).
 *
 * The key bytes are followed by a CRC-32-derived check value and the whole bit string is
 * written in Crockford base32 (no I, L, O, U; case-insensitive; I/L read as 1, O as 0):
 *   Secret Key   16 bytes + 27 check bits = 155 bits = 31 symbols: NK1-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX
 *   Recovery Key 32 bytes + 24 check bits = 280 bits = 56 symbols: NKR-XXXXXXX x 8 groups
 * CRC is linear, so whether a typo is caught depends only on the typo, not on the key: the
 * tests check every single-symbol substitution and adjacent transposition exhaustively.
 */
import { randomBytes, utf8Encode } from './bytes';
import { CryptoError, type CryptoErrorCode } from './errors';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3). Not a MAC: used only to catch typos. */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface KeyFormat {
  prefix: string;
  bytes: number;
  checkBits: number;
  groups: readonly number[];
  error: CryptoErrorCode;
}

/** @internal exported for the exhaustive typo tests. */
export const SECRET_KEY_FORMAT: KeyFormat = {
  prefix: 'NK1',
  bytes: 16,
  checkBits: 27,
  groups: [6, 5, 5, 5, 5, 5],
  error: 'bad-secret-key',
};

/** @internal exported for the exhaustive typo tests. */
export const RECOVERY_KEY_FORMAT: KeyFormat = {
  prefix: 'NKR',
  bytes: 32,
  checkBits: 24,
  groups: [7, 7, 7, 7, 7, 7, 7, 7],
  error: 'bad-recovery-key',
};

function symbolCount(f: KeyFormat): number {
  return (f.bytes * 8 + f.checkBits) / 5;
}

function checkValue(f: KeyFormat, key: Uint8Array): bigint {
  const domain = utf8Encode(f.prefix);
  const input = new Uint8Array(domain.length + key.length);
  input.set(domain);
  input.set(key, domain.length);
  return BigInt(crc32(input)) & ((1n << BigInt(f.checkBits)) - 1n);
}

function bytesToBigInt(b: Uint8Array): bigint {
  let v = 0n;
  for (const byte of b) v = (v << 8n) | BigInt(byte);
  return v;
}

/** @internal The symbols (no prefix, no dashes) for `key`. */
export function encodeSymbols(f: KeyFormat, key: Uint8Array): string {
  if (key.length !== f.bytes) throw new RangeError(`key must be ${f.bytes} bytes`);
  const n = symbolCount(f);
  let v = (bytesToBigInt(key) << BigInt(f.checkBits)) | checkValue(f, key);
  const out: string[] = new Array<string>(n);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = ALPHABET[Number(v & 31n)] ?? '';
    v >>= 5n;
  }
  return out.join('');
}

/** @internal Decode symbols (no prefix, no dashes) back to key bytes, checking the check value. */
export function decodeSymbols(f: KeyFormat, symbols: string): Uint8Array {
  if (symbols.length !== symbolCount(f)) throw new CryptoError(f.error, 'Wrong length.');
  let v = 0n;
  for (const ch of symbols) {
    const d = ALPHABET.indexOf(ch);
    if (d < 0) throw new CryptoError(f.error, 'Invalid character.');
    v = (v << 5n) | BigInt(d);
  }
  const check = v & ((1n << BigInt(f.checkBits)) - 1n);
  let data = v >> BigInt(f.checkBits);
  const key = new Uint8Array(f.bytes);
  for (let i = f.bytes - 1; i >= 0; i--) {
    key[i] = Number(data & 0xffn);
    data >>= 8n;
  }
  if (check !== checkValue(f, key)) throw new CryptoError(f.error, 'Checksum mismatch (typo?).');
  return key;
}

function format(f: KeyFormat, key: Uint8Array): string {
  const symbols = encodeSymbols(f, key);
  const parts = [f.prefix];
  let at = 0;
  for (const g of f.groups) {
    parts.push(symbols.slice(at, at + g));
    at += g;
  }
  return parts.join('-');
}

function parse(f: KeyFormat, input: string): Uint8Array {
  if (typeof input !== 'string') throw new CryptoError(f.error, 'Not a string.');
  // Tolerate case, spaces, any dash-like separator, and the usual look-alike letters.
  const s = input
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  const n = symbolCount(f);
  if (s.length === n) return decodeSymbols(f, s);
  if (s.length === n + f.prefix.length && s.startsWith(f.prefix)) {
    return decodeSymbols(f, s.slice(f.prefix.length));
  }
  throw new CryptoError(f.error, 'Wrong length.');
}

/** A fresh 128-bit Secret Key (shown in the Emergency Kit, never sent anywhere). */
export function generateSecretKey(): Uint8Array {
  return randomBytes(SECRET_KEY_FORMAT.bytes);
}

/** "NK1-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX". */
export function formatSecretKey(b: Uint8Array): string {
  return format(SECRET_KEY_FORMAT, b);
}

/** Parse a Secret Key string; tolerant of case, spaces, missing dashes/prefix. bad-secret-key. */
export function parseSecretKey(s: string): Uint8Array {
  return parse(SECRET_KEY_FORMAT, s);
}

/** A fresh 256-bit Recovery Key. */
export function generateRecoveryKey(): Uint8Array {
  return randomBytes(RECOVERY_KEY_FORMAT.bytes);
}

/** "NKR-XXXXXXX-..." (8 groups of 7). */
export function formatRecoveryKey(b: Uint8Array): string {
  return format(RECOVERY_KEY_FORMAT, b);
}

/** Parse a Recovery Key string; same tolerance as parseSecretKey. bad-recovery-key. */
export function parseRecoveryKey(s: string): Uint8Array {
  return parse(RECOVERY_KEY_FORMAT, s);
}
