import { describe, expect, it, vi } from 'vitest';
import { aesGcmDecrypt, aesGcmEncrypt, forgetAesKey } from './aead';
import { fromHex, toHex } from './bytes';
import { CryptoError } from './errors';

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 13-16 (AES-256),
// also reproduced in NIST SP 800-38D's validation examples.
const K15 = 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308';
const IV15 = 'cafebabefacedbaddecaf888';
const P15 =
  'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
  '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const C15 =
  '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
  '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad';
const VECTORS = [
  {
    tc: 13,
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    p: '',
    a: '',
    c: '',
    t: '530f8afbc74536b9a963b4f1c4cb738b',
  },
  {
    tc: 14,
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    p: '00'.repeat(16),
    a: '',
    c: 'cea7403d4d606b6e074ec5d3baf39d18',
    t: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  { tc: 15, key: K15, iv: IV15, p: P15, a: '', c: C15, t: 'b094dac5d93471bdec1a502270e3cc6c' },
  {
    tc: 16,
    key: K15,
    iv: IV15,
    p: P15.slice(0, 120),
    a: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    c: C15.slice(0, 120),
    t: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
];

describe('AES-256-GCM known answers', () => {
  for (const v of VECTORS) {
    it(`encrypts and decrypts GCM test case ${v.tc}`, async () => {
      const key = fromHex(v.key);
      const out = await aesGcmEncrypt(key, fromHex(v.iv), fromHex(v.p), fromHex(v.a));
      expect(toHex(out)).toBe(v.c + v.t);
      const back = await aesGcmDecrypt(key, fromHex(v.iv), out, fromHex(v.a));
      expect(toHex(back)).toBe(v.p);
    });
  }
});

describe('AES-256-GCM failure modes', () => {
  const v = VECTORS[3]!;
  const sealed = () => fromHex(v.c + v.t);

  it('attack: flipped tag bit is rejected with decrypt-failed', async () => {
    const ct = sealed();
    ct[ct.length - 1]! ^= 1;
    await expect(
      aesGcmDecrypt(fromHex(v.key), fromHex(v.iv), ct, fromHex(v.a)),
    ).rejects.toMatchObject({
      code: 'decrypt-failed',
    });
  });

  it('attack: modified AAD is rejected with decrypt-failed', async () => {
    const err = await aesGcmDecrypt(fromHex(v.key), fromHex(v.iv), sealed(), fromHex('00')).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CryptoError);
    expect((err as CryptoError).code).toBe('decrypt-failed');
  });

  it('attack: a ciphertext shorter than a tag is rejected', async () => {
    await expect(
      aesGcmDecrypt(fromHex(v.key), fromHex(v.iv), new Uint8Array(15), new Uint8Array(0)),
    ).rejects.toMatchObject({
      code: 'decrypt-failed',
    });
  });

  it('refuses wrong key and nonce sizes', async () => {
    await expect(
      aesGcmEncrypt(new Uint8Array(16), new Uint8Array(12), new Uint8Array(1), new Uint8Array(0)),
    ).rejects.toThrow(RangeError);
    await expect(
      aesGcmEncrypt(new Uint8Array(32), new Uint8Array(16), new Uint8Array(1), new Uint8Array(0)),
    ).rejects.toThrow(RangeError);
  });

  it('does not keep using a cached CryptoKey after the caller changes the key bytes', async () => {
    const key = new Uint8Array(32).fill(1);
    const nonce = new Uint8Array(12);
    const ct = await aesGcmEncrypt(key, nonce, new Uint8Array([1, 2, 3]), new Uint8Array(0));
    key.fill(0); // e.g. wiped on lock
    await expect(aesGcmDecrypt(key, nonce, ct, new Uint8Array(0))).rejects.toMatchObject({
      code: 'decrypt-failed',
    });
    key.fill(1);
    forgetAesKey(key);
    expect(Array.from(await aesGcmDecrypt(key, nonce, ct, new Uint8Array(0)))).toEqual([1, 2, 3]);
  });
});

describe('AES-256-GCM key cache', () => {
  it('imports a key once for many concurrent calls (a pulled page opens 1,000 at once)', async () => {
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey');
    try {
      const key = globalThis.crypto.getRandomValues(new Uint8Array(32));
      const nonce = new Uint8Array(12);
      const cts = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          aesGcmEncrypt(key, nonce, new Uint8Array([i]), new Uint8Array(0)),
        ),
      );
      expect(importKey).toHaveBeenCalledTimes(1);
      expect(await aesGcmDecrypt(key, nonce, cts[7]!, new Uint8Array(0))).toEqual(
        new Uint8Array([7]),
      );
      forgetAesKey(key);
      await aesGcmEncrypt(key, nonce, new Uint8Array([1]), new Uint8Array(0));
      expect(importKey).toHaveBeenCalledTimes(2);
    } finally {
      importKey.mockRestore();
    }
  });
});
