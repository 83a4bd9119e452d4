import { beforeAll, describe, expect, it } from 'vitest';
import { toHex, utf8Decode, utf8Encode } from './bytes';
import {
  envelopeKeyId,
  open,
  openJson,
  recordAad,
  seal,
  sealJson,
  type CollectionKey,
  type RecordContext,
} from './envelope';
import { CryptoError } from './errors';
import { deriveCollectionKey } from './keys';

const AK = new Uint8Array(32).fill(0x11);
const ctx: RecordContext = {
  vaultId: 'vault-1',
  collection: 'messages',
  recordId: 'rec-a',
  revision: 3,
  deleted: false,
};
let messages: CollectionKey;
let memory: CollectionKey;
let envelope: Uint8Array;

// keyId "messages:1" is 10 bytes: header = 3 + 10, nonce 12, then ciphertext + tag.
const HEADER = 13;
const NONCE_AT = HEADER;
const CT_AT = HEADER + 12;

async function rejectionCode(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CryptoError);
  return (e as CryptoError).code;
}

function flip(b: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const copy = b.slice();
  copy[index]! ^= mask;
  return copy;
}

beforeAll(async () => {
  messages = await deriveCollectionKey(AK, 'vault-1', 'messages');
  memory = await deriveCollectionKey(AK, 'vault-1', 'memory');
  envelope = await seal(messages, ctx, utf8Encode('hello, canary-7f3a'));
});

describe('envelope', () => {
  it('round-trips and writes the documented header', async () => {
    expect(utf8Decode(await open(messages, ctx, envelope))).toBe('hello, canary-7f3a');
    expect(Array.from(envelope.subarray(0, 3))).toEqual([1, 1, 10]);
    expect(utf8Decode(envelope.subarray(3, HEADER))).toBe('messages:1');
    expect(envelopeKeyId(envelope)).toBe('messages:1');
    expect(envelope.length).toBe(HEADER + 12 + 256 + 16);
  });

  it('never contains the plaintext and uses a fresh nonce each time', async () => {
    const again = await seal(messages, ctx, utf8Encode('hello, canary-7f3a'));
    expect(toHex(again)).not.toBe(toHex(envelope));
    expect(toHex(envelope)).not.toContain(toHex(utf8Encode('canary-7f3a')));
  });

  it('hides lengths: 1-byte and 200-byte plaintexts give equal envelope lengths', async () => {
    const a = await seal(messages, ctx, new Uint8Array(1));
    const b = await seal(messages, ctx, new Uint8Array(200));
    expect(a.length).toBe(b.length);
    const c = await seal(messages, ctx, new Uint8Array(300));
    expect(c.length).toBe(a.length + 256);
  });

  it('round-trips JSON', async () => {
    const value = { title: 'Trip ✈', n: [1, 2, 3], nested: { ok: true } };
    expect(await openJson(messages, ctx, await sealJson(messages, ctx, value))).toEqual(value);
  });

  it('rejects authentic non-JSON content in openJson with bad-envelope', async () => {
    const env = await seal(messages, ctx, utf8Encode('{not json'));
    expect(await rejectionCode(openJson(messages, ctx, env))).toBe('bad-envelope');
  });

  it('pins the AAD encoding (changing it would orphan every stored record)', () => {
    expect(
      toHex(
        recordAad({
          vaultId: 'v',
          collection: 'c',
          recordId: 'r',
          revision: 2 ** 32 + 5,
          deleted: true,
        }),
      ),
    ).toBe(
      '0000000b6e6f6f6b2f7265632f7631' +
        '0000000176' +
        '0000000163' +
        '0000000172' +
        '0000000100000005' +
        '01',
    );
  });
});

describe('attack: tampered envelopes are rejected with a typed error', () => {
  it('flipped bit in the ciphertext -> decrypt-failed', async () => {
    expect(await rejectionCode(open(messages, ctx, flip(envelope, CT_AT + 5)))).toBe(
      'decrypt-failed',
    );
  });

  it('flipped bit in the tag -> decrypt-failed', async () => {
    expect(
      await rejectionCode(open(messages, ctx, flip(envelope, envelope.length - 1, 0x80))),
    ).toBe('decrypt-failed');
  });

  it('flipped bit in the nonce -> decrypt-failed', async () => {
    expect(await rejectionCode(open(messages, ctx, flip(envelope, NONCE_AT)))).toBe(
      'decrypt-failed',
    );
  });

  it('changed version byte -> unsupported-version', async () => {
    expect(await rejectionCode(open(messages, ctx, flip(envelope, 0, 0x02)))).toBe(
      'unsupported-version',
    );
  });

  it('changed algorithm byte -> unsupported-version', async () => {
    expect(await rejectionCode(open(messages, ctx, flip(envelope, 1, 0x02)))).toBe(
      'unsupported-version',
    );
  });

  it('flipped bit in the key id -> decrypt-failed', async () => {
    expect(await rejectionCode(open(messages, ctx, flip(envelope, 3)))).toBe('decrypt-failed');
  });

  it('key id relabelled to match another key is still rejected (header is in the AAD)', async () => {
    // Same length id, so the layout stays valid; the AAD no longer matches what was sealed.
    const relabelled = envelope.slice();
    relabelled.set(utf8Encode('messages:2'), 3);
    const otherKey: CollectionKey = { keyId: 'messages:2', key: messages.key };
    expect(await rejectionCode(open(otherKey, ctx, relabelled))).toBe('decrypt-failed');
  });

  it('record A envelope presented as record B -> decrypt-failed', async () => {
    expect(await rejectionCode(open(messages, { ...ctx, recordId: 'rec-b' }, envelope))).toBe(
      'decrypt-failed',
    );
  });

  it('cross-collection swap -> decrypt-failed', async () => {
    // Both with the right key for the claimed collection and with the original key.
    expect(await rejectionCode(open(memory, { ...ctx, collection: 'memory' }, envelope))).toBe(
      'decrypt-failed',
    );
    expect(await rejectionCode(open(messages, { ...ctx, collection: 'memory' }, envelope))).toBe(
      'decrypt-failed',
    );
  });

  it('another vault -> decrypt-failed', async () => {
    expect(await rejectionCode(open(messages, { ...ctx, vaultId: 'vault-2' }, envelope))).toBe(
      'decrypt-failed',
    );
  });

  it('changed revision (rollback/replay) -> decrypt-failed', async () => {
    expect(await rejectionCode(open(messages, { ...ctx, revision: 2 }, envelope))).toBe(
      'decrypt-failed',
    );
    expect(await rejectionCode(open(messages, { ...ctx, revision: 4 }, envelope))).toBe(
      'decrypt-failed',
    );
  });

  it('changed deleted flag -> decrypt-failed', async () => {
    expect(await rejectionCode(open(messages, { ...ctx, deleted: true }, envelope))).toBe(
      'decrypt-failed',
    );
  });

  it('field boundaries are unambiguous (no splicing between recordId and collection)', async () => {
    const a = await seal(messages, { ...ctx, collection: 'ab', recordId: 'c' }, utf8Encode('x'));
    expect(
      await rejectionCode(open(messages, { ...ctx, collection: 'a', recordId: 'bc' }, a)),
    ).toBe('decrypt-failed');
  });

  it('truncated envelopes -> bad-envelope (or decrypt-failed once the header is intact)', async () => {
    expect(await rejectionCode(open(messages, ctx, new Uint8Array(0)))).toBe('bad-envelope');
    expect(await rejectionCode(open(messages, ctx, envelope.subarray(0, 2)))).toBe('bad-envelope');
    expect(await rejectionCode(open(messages, ctx, envelope.subarray(0, CT_AT + 15)))).toBe(
      'bad-envelope',
    );
    expect(
      await rejectionCode(open(messages, ctx, envelope.subarray(0, envelope.length - 1))),
    ).toBe('decrypt-failed');
  });

  it('a zero-length or non-UTF-8 key id -> bad-envelope', async () => {
    const zero = envelope.slice();
    zero[2] = 0;
    expect(await rejectionCode(open(messages, ctx, zero))).toBe('bad-envelope');
    const badUtf8 = envelope.slice();
    badUtf8[3] = 0xff;
    expect(await rejectionCode(open(messages, ctx, badUtf8))).toBe('bad-envelope');
  });

  it('wrong key -> decrypt-failed', async () => {
    const wrong: CollectionKey = { keyId: 'messages:1', key: new Uint8Array(32).fill(9) };
    expect(await rejectionCode(open(wrong, ctx, envelope))).toBe('decrypt-failed');
    expect(await rejectionCode(open(memory, ctx, envelope))).toBe('decrypt-failed');
  });

  it('attack: a hostile outer record (negative or fractional revision) -> bad-envelope', async () => {
    expect(await rejectionCode(open(messages, { ...ctx, revision: -1 }, envelope))).toBe(
      'bad-envelope',
    );
    expect(await rejectionCode(open(messages, { ...ctx, revision: 3.5 }, envelope))).toBe(
      'bad-envelope',
    );
  });

  it('error messages carry no plaintext or key bytes', async () => {
    const e = (await open(messages, { ...ctx, revision: 9 }, envelope).catch(
      (err: unknown) => err,
    )) as CryptoError;
    const text = `${e.message} ${JSON.stringify(e.details ?? {})}`;
    expect(text).not.toContain('canary');
    expect(text).not.toContain(toHex(messages.key));
  });
});
