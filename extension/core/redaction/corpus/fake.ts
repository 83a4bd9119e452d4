/**
 * Seeded generators for fake secrets. The corpus builds its samples at import time instead
 * of storing secret-shaped literals, so the repository itself never trips a secret scanner
 * and every sample is known to be fake.
 */

/** mulberry32: tiny, seeded, good enough for test data (not for anything secret). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const B64URL = `${ALNUM}-_`;
export const B64 = `${ALNUM}+/`;
export const HEX = '0123456789abcdef';
export const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';

/** A fake-data factory bound to one seed. */
export function createFaker(seed: number) {
  const rng = createRng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const str = (charset: string, n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += charset[Math.floor(rng() * charset.length)] ?? '';
    return s;
  };
  return {
    int,
    str,
    /** Digits that pass Luhn, starting with `prefix`. */
    luhn(prefix: string, length: number): string {
      const body = prefix + str(DIGITS, length - prefix.length - 1);
      for (let d = 0; d <= 9; d++) if (luhnSum(body + d) % 10 === 0) return body + d;
      return body + '0';
    },
    /** An IBAN with correct check digits for the given country and BBAN. */
    iban(country: string, bban: string): string {
      const numeric = [...`${bban}${country}00`]
        .map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c))
        .join('');
      let rest = 0;
      for (const ch of numeric) rest = (rest * 10 + Number(ch)) % 97;
      return `${country}${String(98 - rest).padStart(2, '0')}${bban}`;
    },
    /** A syntactically valid JWT (header names `alg`); the signature is random. */
    jwt(alg: string, claims: Record<string, unknown>): string {
      const enc = (o: unknown) =>
        btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      return `${enc({ alg, typ: 'JWT' })}.${enc(claims)}.${str(B64URL, alg === 'none' ? 0 : 43)}`;
    },
    /** Base64 lines of a fake key body. */
    pemBody(lines: number): string {
      return Array.from({ length: lines }, () => str(B64, 64)).join('\n');
    },
  };
}

function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}
