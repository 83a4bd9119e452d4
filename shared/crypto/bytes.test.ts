import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  constantTimeEqual,
  fromBase64,
  fromBase64Portable,
  fromBase64Url,
  fromBase64With,
  fromHex,
  nativeFromBase64,
  randomBytes,
  toBase64,
  toBase64Portable,
  toBase64Url,
  toHex,
  utf8Decode,
  utf8Encode,
} from './bytes';
import { REJECTED_BASE64, RFC4648_VECTORS } from './base64-vectors';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

/**
 * Stand-in for the ES2026 built-in `Uint8Array.fromBase64(s, { lastChunkHandling: 'strict' })`
 * (Node 20 has none), lenient exactly where the real one is: it skips ASCII whitespace.
 * e2e/base64-native.e2e.test.ts runs the same vectors against the real one in Chromium and Firefox.
 */
function builtinStandIn(s: string, o: { lastChunkHandling: 'strict' }): Uint8Array {
  expect(o.lastChunkHandling).toBe('strict');
  const t = s.replace(/[\t\n\f\r ]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t)) {
    throw new SyntaxError('invalid base64');
  }
  const bytes = Uint8Array.from(Buffer.from(t, 'base64'));
  if (Buffer.from(bytes).toString('base64') !== t) throw new SyntaxError('non-zero padding bits');
  return bytes;
}

const decoders: [string, (s: string) => Uint8Array][] = [
  ['fromBase64', fromBase64],
  ['portable decoder', fromBase64Portable],
  ['built-in decoder contract (stand-in)', (s) => fromBase64With(builtinStandIn, s)],
];
if (nativeFromBase64 !== undefined) {
  const builtin = nativeFromBase64;
  decoders.push(['built-in decoder', (s) => fromBase64With(builtin, s)]);
}

describe.each(decoders)('base64: %s', (_name, decode) => {
  it('matches RFC 4648 test vectors', () => {
    for (const [plain, b64] of RFC4648_VECTORS) {
      expect(toBase64(utf8Encode(plain))).toBe(b64);
      expect(utf8Decode(decode(b64))).toBe(plain);
    }
  });

  it('encodes large inputs without blowing the call stack', () => {
    const big = randomBytes(200_000);
    expect(decode(toBase64(big)).length).toBe(200_000);
  });

  it('accepts exactly the canonical encoding of every 1- and 2-byte value', () => {
    for (let n = 0; n < 65536; n++) {
      const b = n < 256 ? Uint8Array.of(n) : Uint8Array.of(n >> 8, n & 0xff);
      const canonical = toBase64(b);
      expect(Array.from(decode(canonical))).toEqual(Array.from(b));
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
          decode(stem + c + pad);
          return true;
        } catch {
          return false;
        }
      });
      expect(accepted.map((c) => toBase64(decode(stem + c + pad)))).toEqual(
        accepted.map((c) => stem + c + pad),
      );
      expect(accepted.length).toBe(pad === '==' ? 4 : 16);
    }
  });

  it('rejects malformed or non-canonical encodings with bad-encoding', () => {
    for (const s of REJECTED_BASE64) {
      expect(
        code(() => decode(s)),
        JSON.stringify(s),
      ).toBe('bad-encoding');
    }
  });

  it('round-trips any bytes and refuses any whitespace-padded copy', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(3), (b, k) => {
        const text = toBase64(b);
        expect(Array.from(decode(text))).toEqual(Array.from(b));
        const ws = ' '.repeat(4 * (k + 1));
        expect(code(() => decode(text + ws))).toBe('bad-encoding');
        expect(code(() => decode(ws + text))).toBe('bad-encoding');
      }),
    );
  });

  it('refuses non-strings', () => {
    for (const v of [undefined, null, 4, {}, ['Zg==']]) {
      expect(code(() => decode(v as unknown as string))).toBe('bad-encoding');
    }
  });
});

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

  it('encodes exactly like the reference, on either path', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const reference = Buffer.from(b).toString('base64');
        expect(toBase64(b)).toBe(reference);
        expect(toBase64Portable(b)).toBe(reference);
      }),
    );
  });

  it('rejects malformed hex, base64url and UTF-8 with bad-encoding', () => {
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
