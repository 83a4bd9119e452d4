/**
 * Attack tests: a hostile relay replays, rolls back, withholds, swaps and resurrects records.
 * Every attack must be refused with a typed SyncError and leave local data untouched.
 */
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64, utf8Decode, utf8Encode } from '../../../shared/crypto';
import type { PushBody } from '../../../shared/protocol';
import { isSyncError, type SyncErrorCode } from './errors';
import { createFakeRelay, fakeKey, type FakeRelay } from './fake-relay';
import { createTestDevice, fakeSyncKeys, snapshotDevice, type TestDevice } from './sync-test-kit';

async function refuses(d: TestDevice, code: SyncErrorCode): Promise<void> {
  await expect(d.engine.sync()).rejects.toSatisfy((e: unknown) => isSyncError(e, code));
}

/** Re-announces a record under a fresh seq, as a relay would to make a client pull it. */
function reserve(relay: FakeRelay, collection: string, id: string) {
  const r = relay.state.records.get(fakeKey(collection, id))!;
  relay.state.seq += 1;
  r.seq = relay.state.seq;
  return r;
}

async function world() {
  const relay = createFakeRelay();
  const keys = fakeSyncKeys();
  const a = createTestDevice(relay, keys, 'A');
  const b = createTestDevice(relay, keys, 'B');
  await a.engine.setFields('conversations', 'c1', { title: 'first' });
  await a.engine.setFields('conversations', 'c2', { title: 'second' });
  await a.engine.setBody('memory', 'k1', 'secret note');
  await a.engine.sync();
  await b.engine.sync();
  return { relay, keys, a, b, fresh: (n: string) => createTestDevice(relay, keys, n) };
}

describe('hostile relay', () => {
  it('record swap: two records exchange envelopes', async () => {
    const { relay, b, a } = await world();
    await a.engine.setFields('conversations', 'c1', { title: 'v2' });
    await a.engine.setFields('conversations', 'c2', { title: 'v2' });
    await a.engine.sync(); // both now at revision 2
    const r1 = relay.state.records.get(fakeKey('conversations', 'c1'))!;
    const r2 = relay.state.records.get(fakeKey('conversations', 'c2'))!;
    [r1.envelope, r2.envelope] = [r2.envelope, r1.envelope];
    const before = await snapshotDevice(b);
    await refuses(b, 'record-swap');
    expect(await snapshotDevice(b)).toEqual(before);
  });

  it('record swap: an envelope moved to another collection', async () => {
    const { relay, fresh } = await world();
    const conv = relay.state.records.get(fakeKey('conversations', 'c1'))!;
    relay.state.records.get(fakeKey('memory', 'k1'))!.envelope = conv.envelope;
    await refuses(fresh('C'), 'record-swap');
  });

  it('cross-account swap: a record of another account served as ours', async () => {
    const { relay, b } = await world();
    const other = createFakeRelay();
    const mallory = createTestDevice(other, fakeSyncKeys(), 'M');
    await mallory.engine.setFields('conversations', 'c9', { title: 'planted' });
    await mallory.engine.sync();
    const planted = other.state.records.get(fakeKey('conversations', 'c9'))!;
    relay.state.seq += 1;
    relay.state.records.set(fakeKey('conversations', 'c9'), { ...planted, seq: relay.state.seq });
    await refuses(b, 'record-swap');
    expect(await b.engine.read('conversations', 'c9')).toBeUndefined();
  });

  it('rollback of one record: an older revision served again', async () => {
    const { relay, a, b } = await world();
    const old = structuredClone(relay.state.records.get(fakeKey('conversations', 'c1'))!);
    await a.engine.setFields('conversations', 'c1', { title: 'newer' });
    await a.engine.sync();
    await b.engine.sync();
    relay.state.records.set(fakeKey('conversations', 'c1'), old);
    reserve(relay, 'conversations', 'c1');
    const seen = (await b.store.getRecord('conversations', 'c1'))?.seen;
    await refuses(b, 'rollback');
    expect((await b.engine.read('conversations', 'c1'))?.value).toEqual({ title: 'newer' });
    // Refused before anything was applied: the rollback memory did not move back.
    expect((await b.store.getRecord('conversations', 'c1'))?.seen).toEqual(seen);
    expect(seen?.revision).toBe(2);
  });

  it('rollback of one record is caught by a new device through the manifest', async () => {
    const { relay, a, fresh } = await world();
    const old = structuredClone(relay.state.records.get(fakeKey('conversations', 'c1'))!);
    await a.engine.setFields('conversations', 'c1', { title: 'newer' });
    await a.engine.sync(); // uploads a manifest listing revision 2
    relay.state.records.set(fakeKey('conversations', 'c1'), old);
    reserve(relay, 'conversations', 'c1');
    await refuses(fresh('C'), 'rollback');
  });

  it('rollback of the whole account (relay restored from an old backup)', async () => {
    const { relay, a, b } = await world();
    const backup = relay.snapshot();
    await a.engine.setFields('conversations', 'c3', { title: 'after backup' });
    await a.engine.sync();
    await b.engine.sync();
    relay.restore(backup);
    await refuses(b, 'rollback');
    await refuses(a, 'rollback');
  });

  it('rollback of the manifest alone', async () => {
    const { relay, a, b } = await world();
    const oldManifest = relay.state.manifest;
    await a.engine.setFields('conversations', 'c3', { title: 'x' });
    await a.engine.sync();
    await b.engine.sync();
    relay.state.manifest = oldManifest;
    await refuses(b, 'rollback');
  });

  it('a withheld manifest after one was seen is a rollback', async () => {
    const { relay, b } = await world();
    relay.state.manifest = undefined;
    await refuses(b, 'rollback');
  });

  it('omission: a record listed in the manifest is withheld', async () => {
    const { relay, fresh } = await world();
    relay.state.records.delete(fakeKey('memory', 'k1'));
    await refuses(fresh('C'), 'omission');
  });

  it('omission: the relay claims a record we saw never existed', async () => {
    const { relay, b } = await world();
    await b.engine.setFields('conversations', 'c1', { title: 'edit' });
    relay.state.records.delete(fakeKey('conversations', 'c1'));
    await refuses(b, 'omission');
  });

  it('tombstone resurrection: a deleted record served live again', async () => {
    const { relay, a, b } = await world();
    const live = structuredClone(relay.state.records.get(fakeKey('memory', 'k1'))!);
    await a.engine.remove('memory', 'k1');
    await a.engine.sync();
    await b.engine.sync();
    expect(await b.engine.read('memory', 'k1')).toBeUndefined();
    relay.state.records.set(fakeKey('memory', 'k1'), live);
    reserve(relay, 'memory', 'k1');
    await refuses(b, 'tombstone-resurrection');
    expect(await b.engine.read('memory', 'k1')).toBeUndefined();
    expect((await b.store.getRecord('memory', 'k1'))?.seen).toMatchObject({ deleted: true });
  });

  it('tombstone resurrection is caught by a new device through the manifest', async () => {
    const { relay, a, fresh } = await world();
    const live = structuredClone(relay.state.records.get(fakeKey('memory', 'k1'))!);
    await a.engine.remove('memory', 'k1');
    await a.engine.sync();
    relay.state.records.set(fakeKey('memory', 'k1'), live);
    reserve(relay, 'memory', 'k1');
    await refuses(fresh('C'), 'tombstone-resurrection');
  });

  it('equivocation: a losing compare-and-set envelope served in place of the winner', async () => {
    const { relay, keys, a } = await world();
    const sent: PushBody[] = [];
    let race = false;
    const c = createTestDevice(relay, keys, 'C', {
      transport: {
        ...relay.transport,
        async push(body) {
          sent.push(structuredClone(body));
          if (race) {
            race = false;
            await a.engine.sync(); // A's write lands between C's pull and C's push
          }
          return relay.transport.push(body);
        },
      },
    });
    await c.engine.sync();
    await a.engine.setFields('conversations', 'c1', { title: 'A wins revision 2' });
    await c.engine.setFields('conversations', 'c1', { model: 'C loses the race' });
    race = true;
    await c.engine.sync(); // C's revision-2 op conflicts; C merges and pushes revision 3
    const loser = sent.flatMap((p) => p.ops).find((o) => o.id === 'c1' && o.revision === 2)!;
    const current = relay.state.records.get(fakeKey('conversations', 'c1'))!;
    expect(current.revision).toBe(3);
    // A holds revision 2 (its own). The relay serves the authentic losing revision-2 envelope.
    relay.state.records.set(fakeKey('conversations', 'c1'), {
      ...current,
      revision: 2,
      envelope: fromBase64(loser.envelope!),
    });
    reserve(relay, 'conversations', 'c1');
    await refuses(a, 'equivocation');
    // C saw revision 3: the same trick is a rollback for C.
    await refuses(c, 'rollback');
  });

  it('a forged push conflict carrying another record is refused', async () => {
    const { relay, b } = await world();
    const other = relay.state.records.get(fakeKey('conversations', 'c2'))!;
    relay.transport.push = async (body) => ({
      seq: relay.state.seq,
      results: body.ops.map((op) => ({
        opId: op.opId,
        status: 'conflict' as const,
        current: {
          revision: 5,
          seq: relay.state.seq,
          deleted: false,
          envelope: toBase64(other.envelope!),
        },
      })),
    });
    await b.engine.setFields('conversations', 'c1', { title: 'mine' });
    await refuses(b, 'record-swap');
  });

  it('a tampered manifest is refused', async () => {
    const { relay, fresh } = await world();
    const m = relay.state.manifest!;
    const json = JSON.parse(utf8Decode(fromBase64(m.blob))) as { entries: unknown[] };
    json.entries.pop(); // hide a record from the manifest
    relay.state.manifest = { ...m, blob: toBase64(utf8Encode(JSON.stringify(json))) };
    await refuses(fresh('C'), 'bad-manifest');
  });

  it("another account's manifest is refused", async () => {
    const { relay, fresh } = await world();
    const other = createFakeRelay();
    const m = createTestDevice(other, fakeSyncKeys(), 'M');
    await m.engine.setFields('settings', 's', { a: 1 });
    await m.engine.sync();
    relay.state.manifest = other.state.manifest;
    await refuses(fresh('C'), 'bad-manifest');
  });

  it('an honest relay passes every check for a new device', async () => {
    const { fresh, a } = await world();
    const c = fresh('C');
    await c.engine.sync();
    expect(await snapshotDevice(c)).toEqual(await snapshotDevice(a));
  });
});
