/**
 * The record AAD is built in one buffer (seal/open hot path); these tests pin it byte for byte
 * to the original field-by-field encoding, kept here as the reference.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { aesGcmDecrypt, aesGcmEncrypt } from './aead';
import { concatBytes, randomBytes, toHex, utf8Decode, utf8Encode } from './bytes';
import {
  envelopeKeyId,
  open,
  recordAad,
  seal,
  type CollectionKey,
  type RecordContext,
} from './envelope';
import { deriveCollectionKey } from './keys';
import { pad, unpad } from './padding';

const ctx: RecordContext = {
  vaultId: 'vault-1',
  collection: 'messages',
  recordId: 'rec-a',
  revision: 3,
  deleted: false,
};
// keyId "messages:1" is 10 bytes: header = 3 + 10, nonce 12, then ciphertext + tag.
const HEADER = 13;
const NONCE_AT = HEADER;
const CT_AT = HEADER + 12;
let messages: CollectionKey;

beforeAll(async () => {
  messages = await deriveCollectionKey(new Uint8Array(32).fill(0x11), 'vault-1', 'messages');
});

/** The AAD encoding as first written (field by field), kept as the reference. */
function referenceRecordAad(c: RecordContext): Uint8Array {
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, false);
    return b;
  };
  const field = (b: Uint8Array) => concatBytes(u32(b.length), b);
  const rev = new Uint8Array(8);
  new DataView(rev.buffer).setUint32(0, Math.floor(c.revision / 2 ** 32), false);
  new DataView(rev.buffer).setUint32(4, c.revision >>> 0, false);
  return concatBytes(
    field(utf8Encode('nook/rec/v1')),
    field(utf8Encode(c.vaultId)),
    field(utf8Encode(c.collection)),
    field(utf8Encode(c.recordId)),
    rev,
    Uint8Array.of(c.deleted ? 1 : 0),
  );
}

// Any UTF-16 code unit, lone surrogates included (they encode as U+FFFD, like TextEncoder).
const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
      maxLength,
    }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme-ascii', maxLength }),
  );
const anyContext = (maxLength = 40): fc.Arbitrary<RecordContext> =>
  fc.record({
    vaultId: anyText(maxLength),
    collection: anyText(maxLength),
    recordId: anyText(maxLength),
    revision: fc.oneof(
      fc.maxSafeNat(),
      fc.nat(),
      fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1),
    ),
    deleted: fc.boolean(),
  });

describe('AAD encoding is byte-identical to the reference', () => {
  it('for random contexts (unicode ids, big revisions, deleted or not)', () => {
    fc.assert(
      fc.property(anyContext(), (c) => {
        expect(toHex(recordAad(c))).toBe(toHex(referenceRecordAad(c)));
      }),
      { numRuns: 2000 },
    );
  });

  it('for contexts longer than the reused scratch space, and for small ones after them', () => {
    fc.assert(
      fc.property(anyContext(12_000), anyContext(), (big, small) => {
        expect(toHex(recordAad(big))).toBe(toHex(referenceRecordAad(big)));
        expect(toHex(recordAad(small))).toBe(toHex(referenceRecordAad(small)));
      }),
      { numRuns: 40 },
    );
  });

  it('returns a fresh array each time (no shared scratch leaks out)', () => {
    const a = recordAad(ctx);
    const before = toHex(a);
    const b = recordAad({ ...ctx, recordId: 'other' });
    expect(a.buffer).not.toBe(b.buffer);
    b.fill(0);
    expect(toHex(a)).toBe(before);
    expect(a.byteLength).toBe(a.buffer.byteLength);
  });

  it('seal authenticates header || reference AAD, so sealed data opens with the raw AEAD', async () => {
    await fc.assert(
      fc.asyncProperty(anyContext(), async (c) => {
        const env = await seal(messages, c, utf8Encode('x'));
        const header = env.subarray(0, HEADER);
        const aad = concatBytes(header, referenceRecordAad(c));
        const padded = await aesGcmDecrypt(
          messages.key,
          env.subarray(NONCE_AT, CT_AT),
          env.subarray(CT_AT),
          aad,
        );
        expect(utf8Decode(unpad(padded))).toBe('x');
        // And what the raw AEAD seals under that AAD opens with open().
        const nonce = randomBytes(12);
        const ct = await aesGcmEncrypt(messages.key, nonce, pad(utf8Encode('y')), aad);
        expect(utf8Decode(await open(messages, c, concatBytes(header, nonce, ct)))).toBe('y');
      }),
      { numRuns: 200 },
    );
  });

  it('a caller mutating a sealed envelope does not change the next header', async () => {
    const first = await seal(messages, ctx, utf8Encode('a'));
    first.fill(0xee, 0, HEADER);
    const second = await seal(messages, ctx, utf8Encode('b'));
    expect(envelopeKeyId(second)).toBe('messages:1');
    expect(utf8Decode(await open(messages, ctx, second))).toBe('b');
  });

  it('still refuses an invalid context with bad-envelope before encoding anything', () => {
    for (const bad of [
      { ...ctx, revision: -1 },
      { ...ctx, revision: 2 ** 53 },
      { ...ctx, revision: Number.NaN },
      { ...ctx, vaultId: 7 },
      { ...ctx, deleted: 'no' },
    ]) {
      expect(() => recordAad(bad as unknown as RecordContext)).toThrow(
        expect.objectContaining({ code: 'bad-envelope' }),
      );
    }
  });
});
