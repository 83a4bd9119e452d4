import { describe, expect, it } from 'vitest';
import { toHex, utf8Encode } from './bytes';
import {
  argon2id,
  assertKdfAcceptable,
  calibrateKdf,
  DEFAULT_KDF,
  FALLBACK_KDF,
  isStrongerOrEqual,
  KDF_FLOOR,
  normalizePassphrase,
  type KdfParams,
} from './kdf';

const params = (memoryKiB: number, iterations: number, parallelism = 1): KdfParams => ({
  alg: 'argon2id',
  memoryKiB,
  iterations,
  parallelism,
});

// phc-winner-argon2 (the Argon2 reference implementation), src/test.c, "Test Argon2id version
// number: 13" block: hashtest(version, t, log2(m), p, pwd, salt, hexref, ...), 32-byte tags.
const REFERENCE_VECTORS = [
  {
    t: 2,
    m: 16,
    p: 1,
    pwd: 'password',
    salt: 'somesalt',
    hex: '09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7',
  },
  {
    t: 2,
    m: 18,
    p: 1,
    pwd: 'password',
    salt: 'somesalt',
    hex: '78fe1ec91fb3aa5657d72e710854e4c3d9b9198c742f9616c2f085bed95b2e8c',
  },
  {
    t: 2,
    m: 8,
    p: 1,
    pwd: 'password',
    salt: 'somesalt',
    hex: '9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe',
  },
  {
    t: 2,
    m: 8,
    p: 2,
    pwd: 'password',
    salt: 'somesalt',
    hex: '6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037',
  },
  {
    t: 1,
    m: 16,
    p: 1,
    pwd: 'password',
    salt: 'somesalt',
    hex: 'f6a5adc1ba723dddef9b5ac1d464e180fcd9dffc9d1cbf76cca2fed795d9ca98',
  },
  {
    t: 4,
    m: 16,
    p: 1,
    pwd: 'password',
    salt: 'somesalt',
    hex: '9025d48e68ef7395cca9079da4c4ec3affb3c8911fe4f86d1a2520856f63172c',
  },
  {
    t: 2,
    m: 16,
    p: 1,
    pwd: 'differentpassword',
    salt: 'somesalt',
    hex: '0b84d652cf6b0c4beaef0dfe278ba6a80df6696281d7e0d2891b817d8c458fde',
  },
  {
    t: 2,
    m: 16,
    p: 1,
    pwd: 'password',
    salt: 'diffsalt',
    hex: 'bdf32b05ccc42eb15d58fd19b1f856b113da1e9a5874fdcc544308565aa8141c',
  },
];

describe('argon2id (reference test vectors, v=0x13)', () => {
  for (const v of REFERENCE_VECTORS) {
    it(`t=${v.t} m=2^${v.m} p=${v.p} pwd=${v.pwd} salt=${v.salt}`, async () => {
      const out = await argon2id(utf8Encode(v.pwd), utf8Encode(v.salt), params(2 ** v.m, v.t, v.p));
      expect(toHex(out)).toBe(v.hex);
    });
  }

  it('refuses malformed parameters even in the raw helper', async () => {
    await expect(
      argon2id(utf8Encode('p'), utf8Encode('somesalt'), params(8, 0)),
    ).rejects.toMatchObject({
      code: 'kdf-invalid',
    });
  });
});

describe('assertKdfAcceptable', () => {
  it('accepts the default, fallback and floor parameters', () => {
    expect(() => assertKdfAcceptable(DEFAULT_KDF)).not.toThrow();
    expect(() => assertKdfAcceptable(FALLBACK_KDF)).not.toThrow();
    expect(() => assertKdfAcceptable(KDF_FLOOR)).not.toThrow();
  });

  it('refuses parameters below the OWASP floor with kdf-too-weak', () => {
    for (const p of [params(19455, 2), params(19456, 1), params(1024, 10), params(8, 2)]) {
      expect(() => assertKdfAcceptable(p)).toThrow(
        expect.objectContaining({ code: 'kdf-too-weak' }),
      );
    }
  });

  it('refuses malformed or absurd parameters with kdf-invalid', () => {
    const bad: unknown[] = [
      null,
      'argon2id',
      { ...DEFAULT_KDF, alg: 'argon2i' },
      { ...DEFAULT_KDF, memoryKiB: 65536.5 },
      { ...DEFAULT_KDF, memoryKiB: '65536' },
      { ...DEFAULT_KDF, memoryKiB: 4 * 1024 * 1024 + 1 },
      { ...DEFAULT_KDF, iterations: 101 },
      { ...DEFAULT_KDF, iterations: 0 },
      { ...DEFAULT_KDF, parallelism: 17 },
      { ...DEFAULT_KDF, parallelism: 0 },
      { ...DEFAULT_KDF, memoryKiB: Number.NaN },
      { ...DEFAULT_KDF, iterations: Number.POSITIVE_INFINITY },
      { alg: 'argon2id', memoryKiB: 65536, iterations: 3 },
    ];
    for (const p of bad) {
      expect(() => assertKdfAcceptable(p as KdfParams)).toThrow(
        expect.objectContaining({ code: 'kdf-invalid' }),
      );
    }
  });

  it('refuses parameters weaker than the pinned ones with kdf-downgrade', () => {
    const pinned = DEFAULT_KDF;
    for (const p of [
      params(32768, 3, 4),
      params(65536, 2, 4),
      params(32768, 5, 4),
      params(30000, 100, 4),
    ]) {
      expect(() => assertKdfAcceptable(p, pinned)).toThrow(
        expect.objectContaining({ code: 'kdf-downgrade' }),
      );
    }
  });

  it('accepts equal or stronger parameters than the pinned ones, incl. the equal-work fallback', () => {
    expect(() => assertKdfAcceptable(DEFAULT_KDF, DEFAULT_KDF)).not.toThrow();
    expect(() => assertKdfAcceptable(params(131072, 3, 1), DEFAULT_KDF)).not.toThrow();
    expect(() => assertKdfAcceptable(FALLBACK_KDF, DEFAULT_KDF)).not.toThrow();
    expect(() => assertKdfAcceptable(DEFAULT_KDF, FALLBACK_KDF)).not.toThrow();
  });

  it('refuses a malformed pin', () => {
    expect(() => assertKdfAcceptable(DEFAULT_KDF, params(65536, 0))).toThrow(
      expect.objectContaining({ code: 'kdf-invalid' }),
    );
  });
});

describe('isStrongerOrEqual', () => {
  it('orders by memory and iterations, allowing at most one memory halving for equal work', () => {
    expect(isStrongerOrEqual(params(65536, 3), params(65536, 3))).toBe(true);
    expect(isStrongerOrEqual(params(65536, 4), params(65536, 3))).toBe(true);
    expect(isStrongerOrEqual(params(65536, 2), params(65536, 3))).toBe(false);
    expect(isStrongerOrEqual(params(32768, 6), params(65536, 3))).toBe(true);
    expect(isStrongerOrEqual(params(32768, 5), params(65536, 3))).toBe(false);
    // Equal work but memory cut to a quarter: refused (memory is what resists GPUs).
    expect(isStrongerOrEqual(params(16384, 12), params(65536, 3))).toBe(false);
  });
});

describe('normalizePassphrase', () => {
  it('maps canonically equivalent and compatibility forms to the same bytes', () => {
    const composed = normalizePassphrase('caf\u00e9 \uff21');
    const decomposed = normalizePassphrase('cafe\u0301 A');
    expect(toHex(composed)).toBe(toHex(decomposed));
    expect(toHex(composed)).toBe(toHex(utf8Encode('café A')));
  });
});

describe('calibrateKdf', () => {
  it('keeps the default when it fits the budget', async () => {
    const seen: KdfParams[] = [];
    const r = await calibrateKdf({ measure: async (p) => (seen.push(p), 400) });
    expect(r).toEqual({ params: DEFAULT_KDF, measuredMs: 400 });
    expect(seen).toEqual([DEFAULT_KDF]);
  });

  it('falls back to 32 MiB / t=6 when the default is slower than the budget', async () => {
    const r = await calibrateKdf({
      budgetMs: 1000,
      measure: async (p) => (p.memoryKiB === DEFAULT_KDF.memoryKiB ? 2500 : 2400),
    });
    expect(r).toEqual({ params: FALLBACK_KDF, measuredMs: 2400 });
  });

  it('never goes below the floor however slow the device is', async () => {
    const r = await calibrateKdf({ measure: async () => 60_000 });
    expect(() => assertKdfAcceptable(r.params)).not.toThrow();
    expect(isStrongerOrEqual(r.params, KDF_FLOOR)).toBe(true);
  });

  it('measures real Argon2id by default and returns one of the two presets', async () => {
    const r = await calibrateKdf({ budgetMs: 60_000 });
    expect([DEFAULT_KDF, FALLBACK_KDF]).toContainEqual(r.params);
    expect(r.measuredMs).toBeGreaterThan(0);
  });
});
