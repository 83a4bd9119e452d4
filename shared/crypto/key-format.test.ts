import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from './bytes';
import {
  crc32,
  decodeSymbols,
  encodeSymbols,
  formatRecoveryKey,
  formatSecretKey,
  generateRecoveryKey,
  generateSecretKey,
  parseRecoveryKey,
  parseSecretKey,
  RECOVERY_KEY_FORMAT,
  SECRET_KEY_FORMAT,
} from './key-format';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789')).toString(16)).toBe('cbf43926');
  });
});

describe('Secret Key format', () => {
  it('looks like NK1-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX', () => {
    const s = formatSecretKey(generateSecretKey());
    expect(s).toMatch(/^NK1-[0-9A-HJKMNP-TV-Z]{6}(-[0-9A-HJKMNP-TV-Z]{5}){5}$/);
  });

  it('round-trips any 16 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        expect(toHex(parseSecretKey(formatSecretKey(b)))).toBe(toHex(b));
      }),
    );
  });

  it('tolerates case, spaces, missing dashes and prefix, and look-alike letters', () => {
    const key = generateSecretKey();
    const s = formatSecretKey(key);
    const variants = [
      s.toLowerCase(),
      s.replace(/-/g, ''),
      s.replace(/-/g, ' '),
      `  ${s.slice(4)}  `,
      s.replace(/-/g, '\u2013'),
      s.slice(0, 4) + s.slice(4).replace(/1/g, 'l').replace(/0/g, 'O'),
    ];
    for (const v of variants) expect(toHex(parseSecretKey(v))).toBe(toHex(key));
  });

  it('detects a typo via the checksum (bad-secret-key)', () => {
    const s = formatSecretKey(new Uint8Array(16).fill(0x5a));
    const i = 6;
    const typo = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    expect(codeOf(() => parseSecretKey(typo))).toBe('bad-secret-key');
    expect(codeOf(() => parseSecretKey(s.slice(0, -1)))).toBe('bad-secret-key');
    expect(codeOf(() => parseSecretKey(`${s}A`))).toBe('bad-secret-key');
    expect(codeOf(() => parseSecretKey(s.replace(/.$/, 'U')))).toBe('bad-secret-key');
    expect(codeOf(() => parseSecretKey(''))).toBe('bad-secret-key');
  });
});

describe('Recovery Key format', () => {
  it('looks like NKR- and 8 groups of 7, and round-trips', () => {
    const key = generateRecoveryKey();
    const s = formatRecoveryKey(key);
    expect(s).toMatch(/^NKR(-[0-9A-HJKMNP-TV-Z]{7}){8}$/);
    expect(toHex(parseRecoveryKey(s.toLowerCase().replace(/-/g, ' ')))).toBe(toHex(key));
  });

  it('detects a typo (bad-recovery-key) and is not confused with a Secret Key', () => {
    const s = formatRecoveryKey(new Uint8Array(32).fill(7));
    const typo = s.slice(0, 10) + (s[10] === 'Z' ? 'Y' : 'Z') + s.slice(11);
    expect(codeOf(() => parseRecoveryKey(typo))).toBe('bad-recovery-key');
    expect(codeOf(() => parseRecoveryKey(formatSecretKey(new Uint8Array(16))))).toBe(
      'bad-recovery-key',
    );
    expect(codeOf(() => parseSecretKey(s))).toBe('bad-secret-key');
  });
});

// CRC is linear, so whether an error pattern goes undetected does not depend on the key: one
// key per format suffices to prove every single substitution and adjacent swap is caught.
describe.each([
  ['Secret Key', SECRET_KEY_FORMAT],
  ['Recovery Key', RECOVERY_KEY_FORMAT],
])('%s typo detection (exhaustive)', (_name, format) => {
  const key = Uint8Array.from({ length: format.bytes }, (_, i) => (i * 37 + 11) & 0xff);
  const symbols = encodeSymbols(format, key);

  it('catches every single-symbol substitution', () => {
    let checked = 0;
    for (let i = 0; i < symbols.length; i++) {
      for (const c of ALPHABET) {
        if (c === symbols[i]) continue;
        const typo = symbols.slice(0, i) + c + symbols.slice(i + 1);
        expect(codeOf(() => decodeSymbols(format, typo))).toBe(format.error);
        checked++;
      }
    }
    expect(checked).toBe(symbols.length * 31);
  });

  it('catches every adjacent transposition of different symbols', () => {
    // Any swap of x,y at i,i+1 flips both positions by the same delta x^y; test all deltas.
    for (let i = 0; i + 1 < symbols.length; i++) {
      const a = ALPHABET.indexOf(symbols[i]!);
      const b = ALPHABET.indexOf(symbols[i + 1]!);
      for (let delta = 1; delta < 32; delta++) {
        const typo =
          symbols.slice(0, i) + ALPHABET[a ^ delta] + ALPHABET[b ^ delta] + symbols.slice(i + 2);
        expect(codeOf(() => decodeSymbols(format, typo))).toBe(format.error);
      }
    }
  });
});
