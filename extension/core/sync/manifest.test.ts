import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  fromBase64,
  randomBytes,
  toBase64,
  utf8Decode,
  utf8Encode,
} from '../../../shared/crypto';
import {
  buildManifest,
  checkManifest,
  manifestRoot,
  sha256Hex,
  verifyManifest,
  type ManifestEntry,
} from './manifest';
import { deriveManifestKey } from './sync-keys';

const entries: ManifestEntry[] = [
  { collection: 'memory', id: 'k1', revision: 3, deleted: false, hash: 'aa' },
  { collection: 'conversations', id: 'c1', revision: 2, deleted: true, hash: '' },
];

async function signed(key = randomBytes(32), counter = 4) {
  const body = await buildManifest({
    vaultId: 'v1',
    key,
    counter,
    seq: 10,
    device: 'dev1',
    createdAt: 123,
    entries,
  });
  return { key, reply: { ...body, updatedAt: 1 } };
}

const seenFrom = (list: ManifestEntry[]) => (c: string, id: string) =>
  list.find((e) => e.collection === c && e.id === id);
const ctx = (list: ManifestEntry[], over: object = {}) => ({
  cursor: 10,
  accountSeq: 10,
  lastCounter: 0,
  seen: seenFrom(list),
  knows: () => true,
  ...over,
});

/** The root's encoding spelled out field by field (the format other clients rely on). */
async function referenceRoot(entries: ManifestEntry[]): Promise<string> {
  const field = (x: string) => {
    const b = utf8Encode(x);
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, b.length, false);
    return concatBytes(len, b);
  };
  const key = (e: ManifestEntry) => `${e.collection}\u0000${e.id}`;
  const sorted = [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const parts = sorted.map((e) =>
    concatBytes(
      field(e.collection),
      field(e.id),
      field(String(e.revision)),
      Uint8Array.of(e.deleted ? 1 : 0),
      field(e.hash),
    ),
  );
  return sha256Hex(concatBytes(field('nook/manifest/v1'), ...parts));
}

describe('manifest', () => {
  it('the root is the length-prefixed encoding of the sorted entries', async () => {
    const entries: ManifestEntry[] = [
      { collection: 'messages', id: 'z\u00e9\u{1F600}', revision: 12, deleted: false, hash: 'ab' },
      { collection: 'memory', id: 'a', revision: 1, deleted: true, hash: '' },
      ...Array.from({ length: 50 }, (_, i) => ({
        collection: `c${i % 3}`,
        id: `id${i}`,
        revision: i * 7919,
        deleted: i % 2 === 0,
        hash: 'f'.repeat(i),
      })),
    ];
    expect(await manifestRoot(entries)).toBe(await referenceRoot(entries));
    expect(await manifestRoot([])).toBe(await referenceRoot([]));
    // FIPS 180-2 test vector, so the hash under both is the real SHA-256.
    expect(await sha256Hex(utf8Encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('round-trips and verifies', async () => {
    const { key, reply } = await signed();
    const m = await verifyManifest(reply, 'v1', key);
    expect(m).toMatchObject({ counter: 4, seq: 10, device: 'dev1' });
    expect(m.entries).toHaveLength(2);
    expect(() => checkManifest(m, ctx(entries))).not.toThrow();
  });

  it('the manifest key is HKDF(AK, vaultId, "nook/manifest/v1") and differs per vault', async () => {
    const ak = randomBytes(32);
    const k1 = await deriveManifestKey({ ak, vaultId: 'v1' });
    expect(await deriveManifestKey({ ak, vaultId: 'v1' })).toEqual(k1);
    expect(await deriveManifestKey({ ak, vaultId: 'v2' })).not.toEqual(k1);
  });

  it.each([
    ['a changed entry', (j: Record<string, unknown>) => ((j.entries as unknown[][])[0]![2] = 9)],
    ['a dropped entry', (j: Record<string, unknown>) => (j.entries as unknown[]).pop()],
    ['a changed seq', (j: Record<string, unknown>) => (j.seq = 1)],
    ['a changed counter', (j: Record<string, unknown>) => (j.counter = 5)],
    ['a forged root', (j: Record<string, unknown>) => ((j.entries = []), (j.root = 'x'))],
  ])('refuses %s', async (_n, tamper) => {
    const { key, reply } = await signed();
    const j = JSON.parse(utf8Decode(fromBase64(reply.blob))) as Record<string, unknown>;
    tamper(j);
    const blob = toBase64(utf8Encode(JSON.stringify(j)));
    await expect(verifyManifest({ ...reply, blob }, 'v1', key)).rejects.toMatchObject({
      code: 'bad-manifest',
    });
  });

  it('refuses a manifest under another key, another vault, or an outer counter swap', async () => {
    const { key, reply } = await signed();
    const bad = { code: 'bad-manifest' };
    await expect(verifyManifest(reply, 'v1', randomBytes(32))).rejects.toMatchObject(bad);
    await expect(verifyManifest(reply, 'v2', key)).rejects.toMatchObject(bad);
    await expect(verifyManifest({ ...reply, counter: 99 }, 'v1', key)).rejects.toMatchObject(bad);
    await expect(verifyManifest({ ...reply, blob: 'AAAA' }, 'v1', key)).rejects.toMatchObject(bad);
  });

  it('detects omission, rollback, equivocation and resurrection against held versions', async () => {
    const { key, reply } = await signed();
    const m = await verifyManifest(reply, 'v1', key);
    const [mem, conv] = entries as [ManifestEntry, ManifestEntry];
    const code = (list: ManifestEntry[], over: object = {}) => {
      try {
        checkManifest(m, ctx(list, over));
        return 'ok';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code([conv])).toBe('omission');
    expect(code([{ ...mem, revision: 2 }, conv])).toBe('rollback');
    expect(code([{ ...mem, hash: 'bb' }, conv])).toBe('equivocation');
    expect(code([mem, { ...conv, deleted: false, hash: 'cc', revision: 5 }])).toBe(
      'tombstone-resurrection',
    );
    expect(code([{ ...mem, revision: 7, hash: 'zz' }, conv])).toBe('ok'); // newer is fine
    expect(code(entries, { lastCounter: 5 })).toBe('rollback');
    expect(code(entries, { accountSeq: 9, cursor: 9 })).toBe('rollback');
    expect(code(entries, { cursor: 9 })).toBe('omission');
    expect(code([conv], { knows: (c: string) => c !== 'memory' })).toBe('ok');
  });
});
