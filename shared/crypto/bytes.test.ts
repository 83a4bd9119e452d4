import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  constantTimeEqual,
  fromBase64,
  fromBase64Url,
  fromHex,
  randomBytes,
  toBase64,
  toBase64Url,
  toHex,
  utf8Decode,
  utf8Encode,
} from './bytes';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe('bytes', () => {
  it('round-trips base64, base64url and hex for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(Array.from(fromBase64(toBase64(b)))).toEqual(Array.from(b));
        expect(Array.from(fromBase64Url(toBase64Url(b)))).toEqual(Array.from(b));
        expect(Array.from(fromHex(toHex(b)))).toEqual(Array.from(b));
      }),
    );
  });

  it('matches RFC 4648 test vectors', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, b64] of cases) {
      expect(toBase64(utf8Encode(plain))).toBe(b64);
      expect(utf8Decode(fromBase64(b64))).toBe(plain);
    }
  });

  it('encodes large inputs without blowing the call stack', () => {
    const big = randomBytes(200_000);
    expect(fromBase64(toBase64(big)).length).toBe(200_000);
  });

  it('accepts exactly the canonical encoding of every 1- and 2-byte value', () => {
    for (let n = 0; n < 65536; n++) {
      const b = n < 256 ? Uint8Array.of(n) : Uint8Array.of(n >> 8, n & 0xff);
      const canonical = toBase64(b);
      expect(Array.from(fromBase64(canonical))).toEqual(Array.from(b));
    }
    // Every other last character before the padding decodes to the same bytes: refused.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    for (const [bytes, pad] of [
      [Uint8Array.of(0x66), '=='],
      [Uint8Array.of(0x66, 0x6f), '='],
    ] as const) {
      const good = toBase64(bytes);
      const stem = good.slice(0, good.length - pad.length - 1);
      const accepted = [...alphabet].filter((c) => {
        try {
          fromBase64(stem + c + pad);
          return true;
        } catch {
          return false;
        }
      });
      expect(accepted.map((c) => toBase64(fromBase64(stem + c + pad)))).toEqual(
        accepted.map((c) => stem + c + pad),
      );
      expect(accepted.length).toBe(pad === '==' ? 4 : 16);
    }
  });

  it('rejects malformed or non-canonical encodings with bad-encoding', () => {
    for (const s of ['Zg', 'Zg=', 'Z===', 'Zh==', 'Zm9=', 'Zm9vYr==', 'Zm9v!', ' Zm9v', 'Zm9v\n']) {
      expect(code(() => fromBase64(s))).toBe('bad-encoding');
    }
    for (const s of ['abc', 'zz', '0x00']) expect(code(() => fromHex(s))).toBe('bad-encoding');
    expect(code(() => fromBase64Url('a'))).toBe('bad-encoding');
    expect(code(() => utf8Decode(Uint8Array.of(0xff, 0xfe)))).toBe('bad-encoding');
  });

  it('accepts uppercase hex', () => {
    expect(Array.from(fromHex('DEADbeef'))).toEqual([0xde, 0xad, 0xbe, 0xef]);
  });

  it('concatenates and compares', () => {
    const a = Uint8Array.of(1, 2);
    const b = Uint8Array.of(3);
    expect(Array.from(concatBytes(a, b, new Uint8Array(0)))).toEqual([1, 2, 3]);
    expect(constantTimeEqual(a, Uint8Array.of(1, 2))).toBe(true);
    expect(constantTimeEqual(a, Uint8Array.of(1, 3))).toBe(false);
    expect(constantTimeEqual(a, Uint8Array.of(1, 2, 0))).toBe(false);
  });

  it('produces fresh random bytes of the asked size, also beyond 64 KiB', () => {
    expect(randomBytes(0).length).toBe(0);
    expect(randomBytes(70_000).length).toBe(70_000);
    expect(toHex(randomBytes(16))).not.toBe(toHex(randomBytes(16)));
  });
});
