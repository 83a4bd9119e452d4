import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from './bytes';
import { CryptoError } from './errors';
import {
  COLLECTIONS,
  deriveAuthKey,
  deriveCollectionKey,
  deriveCollectionKeys,
  deriveKek,
  deriveMuk,
  unwrapKey,
  wrapKey,
} from './keys';
import { FALLBACK_KDF, KDF_FLOOR } from './kdf';

const range = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => from + i);

// Fixed inputs for the golden key schedule. The expected values were computed once with this
// implementation, cross-checked with an independent one (Python `cryptography` 48: OpenSSL
// Argon2id + HKDF, same labels) and pinned: any change to normalisation, Argon2id, HKDF labels
// or ordering would lock every user out of their vault, so it must fail here first.
const GOLDEN = {
  passphrase: 'Nook golden passphrase caf\u00e9',
  salt: range(0x00, 16),
  secretKey: range(0xa0, 16),
  vaultId: '0123456789abcdef0123456789abcdef',
};
const EXPECTED = {
  floor: {
    authKey: '7c998d0283c3a0209345891dd90826cfe7879da4fa6c6c384dd982b4ee00fb86',
    kek: '65351a894839ea94bc5bc06044c052e76383c052ef543f5ecc99fe96e01e81a2',
  },
  fallback: {
    authKey: 'e7ea99b1d5295472672c3c8207c3bfcc50d18e0d482da29b998b3de8c6f165d5',
    kek: 'c0d33b447da1832e07c60161634f1e62b9e8aa03b2a4aa76dc73d036bd257a18',
  },
  dekConversations: '1ec58a94d2e0831e4b9af25ddc497c83b2ce8149db0e5938d34ddd2254340faf',
};

describe('golden key schedule (pinned)', () => {
  it('floor params (19 MiB, t=2, p=1) give the pinned authKey and KEK', async () => {
    const muk = await deriveMuk(
      GOLDEN.passphrase,
      GOLDEN.secretKey,
      GOLDEN.vaultId,
      GOLDEN.salt,
      KDF_FLOOR,
    );
    expect(toHex(await deriveAuthKey(muk))).toBe(EXPECTED.floor.authKey);
    expect(toHex(await deriveKek(muk))).toBe(EXPECTED.floor.kek);
  });

  it('fallback params (32 MiB, t=6, p=4) give the pinned authKey and KEK', async () => {
    const muk = await deriveMuk(
      GOLDEN.passphrase,
      GOLDEN.secretKey,
      GOLDEN.vaultId,
      GOLDEN.salt,
      FALLBACK_KDF,
    );
    expect(toHex(await deriveAuthKey(muk))).toBe(EXPECTED.fallback.authKey);
    expect(toHex(await deriveKek(muk))).toBe(EXPECTED.fallback.kek);
  });

  it('NFKC: the decomposed spelling of the passphrase derives the same keys', async () => {
    const decomposed = GOLDEN.passphrase.normalize('NFD');
    expect(decomposed).not.toBe(GOLDEN.passphrase);
    const muk = await deriveMuk(
      decomposed,
      GOLDEN.secretKey,
      GOLDEN.vaultId,
      GOLDEN.salt,
      KDF_FLOOR,
    );
    expect(toHex(await deriveAuthKey(muk))).toBe(EXPECTED.floor.authKey);
  });

  it('a DEK from a fixed AK is pinned, with keyId "<collection>:1"', async () => {
    const dek = await deriveCollectionKey(
      new Uint8Array(32).fill(0x11),
      GOLDEN.vaultId,
      'conversations',
    );
    expect(dek.keyId).toBe('conversations:1');
    expect(toHex(dek.key)).toBe(EXPECTED.dekConversations);
  });
});

describe('key separation', () => {
  let muk: Uint8Array;
  beforeAll(async () => {
    muk = await deriveMuk(
      GOLDEN.passphrase,
      GOLDEN.secretKey,
      GOLDEN.vaultId,
      GOLDEN.salt,
      KDF_FLOOR,
    );
  });

  it('every input of the MUK matters: passphrase, Secret Key, vault id, salt', async () => {
    const base = toHex(muk);
    const variants = await Promise.all([
      deriveMuk(`${GOLDEN.passphrase}!`, GOLDEN.secretKey, GOLDEN.vaultId, GOLDEN.salt, KDF_FLOOR),
      deriveMuk(GOLDEN.passphrase, range(0xa1, 16), GOLDEN.vaultId, GOLDEN.salt, KDF_FLOOR),
      deriveMuk(GOLDEN.passphrase, GOLDEN.secretKey, 'another-vault', GOLDEN.salt, KDF_FLOOR),
      deriveMuk(GOLDEN.passphrase, GOLDEN.secretKey, GOLDEN.vaultId, range(0x01, 16), KDF_FLOOR),
    ]);
    for (const v of variants) expect(toHex(v)).not.toBe(base);
  });

  it('attack: the authKey (which the relay sees) cannot unwrap AK; the KEK can', async () => {
    const ak = range(0x40, 32);
    const label = { vaultId: GOLDEN.vaultId, purpose: 'ak' };
    const authKey = await deriveAuthKey(muk);
    const kek = await deriveKek(muk);
    expect(toHex(authKey)).not.toBe(toHex(kek));
    const wrapped = await wrapKey(kek, ak, label);
    await expect(unwrapKey(authKey, wrapped, label)).rejects.toMatchObject({
      code: 'decrypt-failed',
    });
    expect(toHex(await unwrapKey(kek, wrapped, label))).toBe(toHex(ak));
  });

  it('every collection gets a distinct key', async () => {
    const keys = await deriveCollectionKeys(range(0x40, 32), GOLDEN.vaultId);
    expect(Object.keys(keys).sort()).toEqual([...COLLECTIONS].sort());
    const hexes = new Set(Object.values(keys).map((k) => toHex(k.key)));
    expect(hexes.size).toBe(COLLECTIONS.length);
  });
});

describe('wrapKey / unwrapKey', () => {
  const wk = range(0x20, 32);
  const key = range(0x60, 32);
  const label = { vaultId: 'v', purpose: 'ak' };

  it('round-trips', async () => {
    expect(toHex(await unwrapKey(wk, await wrapKey(wk, key, label), label))).toBe(toHex(key));
  });

  it('attack: a wrapped key moved to another vault or slot is rejected', async () => {
    const wrapped = await wrapKey(wk, key, label);
    await expect(unwrapKey(wk, wrapped, { vaultId: 'w', purpose: 'ak' })).rejects.toMatchObject({
      code: 'decrypt-failed',
    });
    await expect(
      unwrapKey(wk, wrapped, { vaultId: 'v', purpose: 'ak-recovery' }),
    ).rejects.toMatchObject({
      code: 'decrypt-failed',
    });
  });

  it('attack: tampered or truncated wrapped keys are rejected', async () => {
    const wrapped = await wrapKey(wk, key, label);
    const flipped = wrapped.slice();
    flipped[20]! ^= 4;
    await expect(unwrapKey(wk, flipped, label)).rejects.toMatchObject({ code: 'decrypt-failed' });
    await expect(unwrapKey(wk, wrapped.subarray(0, 20), label)).rejects.toMatchObject({
      code: 'decrypt-failed',
    });
    const v2 = wrapped.slice();
    v2[0] = 2;
    const err = await unwrapKey(wk, v2, label).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CryptoError);
    expect((err as CryptoError).code).toBe('unsupported-version');
  });
});
