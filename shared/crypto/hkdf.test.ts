import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { hkdf } from './hkdf';

const range = (from: number, to: number) =>
  Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);

// RFC 5869 Appendix A, test cases 1-3 (HKDF-SHA256).
const RFC5869 = [
  {
    name: 'A.1 basic',
    ikm: fromHex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b'),
    salt: fromHex('000102030405060708090a0b0c'),
    info: fromHex('f0f1f2f3f4f5f6f7f8f9'),
    length: 42,
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    name: 'A.2 longer inputs/outputs',
    ikm: range(0x00, 0x4f),
    salt: range(0x60, 0xaf),
    info: range(0xb0, 0xff),
    length: 82,
    okm:
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c' +
      '59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71' +
      'cc30c58179ec3e87c14c01d5c1f3434f1d87',
  },
  {
    name: 'A.3 zero-length salt and info',
    ikm: fromHex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b'),
    salt: new Uint8Array(0),
    info: new Uint8Array(0),
    length: 42,
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
  },
];

describe('hkdf (RFC 5869 known answers)', () => {
  for (const v of RFC5869) {
    it(`matches test case ${v.name}`, async () => {
      expect(toHex(await hkdf(v.ikm, v.salt, v.info, v.length))).toBe(v.okm);
    });
  }

  it('encodes string info as UTF-8', async () => {
    const ikm = new Uint8Array(32).fill(7);
    const salt = new Uint8Array(0);
    const asString = await hkdf(ikm, salt, 'nook/kek/v1', 32);
    const asBytes = await hkdf(ikm, salt, new TextEncoder().encode('nook/kek/v1'), 32);
    expect(toHex(asString)).toBe(toHex(asBytes));
    expect(toHex(await hkdf(ikm, salt, 'nook/auth/v1', 32))).not.toBe(toHex(asString));
  });

  it('rejects impossible lengths', async () => {
    const ikm = new Uint8Array(32);
    await expect(hkdf(ikm, ikm, 'x', 0)).rejects.toThrow(RangeError);
    await expect(hkdf(ikm, ikm, 'x', 255 * 32 + 1)).rejects.toThrow(RangeError);
  });
});
