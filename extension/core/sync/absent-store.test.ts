import { describe, expect, it } from 'vitest';
import { skipAbsentReads } from './absent-store';
import { createFakeRelay } from './fake-relay';
import { createMemoryLocalStore } from './memory-local-store';
import type { LocalRecordStore, RecordKey } from './ports';
import { createTestDevice, fakeSyncKeys } from './sync-test-kit';

/** A memory store that reports `isEmpty` and records every key read from it. */
function spyStore(opts: { isEmpty?: () => Promise<boolean> } = {}) {
  const inner = createMemoryLocalStore();
  const reads: string[] = [];
  const calls = { isEmpty: 0 };
  const note = (k: RecordKey) => reads.push(`${k.collection}/${k.id}`);
  const store: LocalRecordStore = {
    ...inner,
    isEmpty() {
      calls.isEmpty += 1;
      return opts.isEmpty?.() ?? Promise.resolve(inner.records.size === 0);
    },
    getRecord(collection, id) {
      note({ collection, id });
      return inner.getRecord(collection, id);
    },
    getRecords(keys) {
      keys.forEach(note);
      return inner.getRecords(keys);
    },
  };
  return { store, inner, reads, calls };
}

/** Device A holds `n` conversations on the relay; returns a device factory for the relay. */
async function seededRelay(n: number) {
  const relay = createFakeRelay();
  const keys = fakeSyncKeys();
  const a = createTestDevice(relay, keys, 'A');
  const ids = Array.from({ length: n }, (_, i) => `c${i}`);
  await a.engine.writeMany(
    'conversations',
    ids.map((id) => ({ id, fields: { title: `title ${id}` } })),
  );
  await a.engine.sync();
  const device = (store: LocalRecordStore) =>
    createTestDevice(relay, keys, 'B', { store, pullLimit: 10 });
  return { a, ids, device };
}

describe('absent-record reads (first sync)', () => {
  it('a first sync of N records into an empty store reads no record', async () => {
    const { ids, device } = await seededRelay(35);
    const spy = spyStore();
    const b = device(spy.store);
    expect((await b.engine.sync()).pulled).toBe(35);
    expect(spy.reads).toEqual([]);
    expect(spy.calls.isEmpty).toBe(1);
    expect(spy.inner.records.size).toBe(35);
    // Committed records are read for real from then on.
    expect(await b.engine.read('conversations', 'c7')).toMatchObject({
      id: 'c7',
      value: { title: 'title c7' },
    });
    expect(spy.reads).toEqual(['conversations/c7']);
    expect((await b.engine.readMany('conversations', ids)).every((v) => v !== undefined)).toBe(
      true,
    );
  });

  it('after commit, reads are real: local edits and later pulls see the stored record', async () => {
    const { a, device } = await seededRelay(5);
    const spy = spyStore();
    const b = device(spy.store);
    await b.engine.sync();
    // A local edit of a pulled record merges with what is stored (not with "nothing").
    await b.engine.setFields('conversations', 'c1', { model: 'from B' });
    expect(spy.reads).toContain('conversations/c1');
    expect(await b.engine.read('conversations', 'c1')).toMatchObject({
      id: 'c1',
      value: { title: 'title c1', model: 'from B' },
    });
    // A new record is still known absent: no read.
    spy.reads.length = 0;
    await b.engine.setFields('conversations', 'new', { title: 'new on B' });
    expect(spy.reads).toEqual([]);
    // A's later edit of c2 is pulled against B's stored copy (its rollback memory).
    await a.engine.setFields('conversations', 'c2', { title: 'renamed' });
    await a.engine.sync();
    await b.engine.sync();
    expect(spy.reads).toContain('conversations/c2');
    expect(await b.engine.read('conversations', 'c2')).toMatchObject({
      value: { title: 'renamed' },
    });
    await a.engine.sync();
    expect(await a.engine.read('conversations', 'c1')).toMatchObject({
      value: { title: 'title c1', model: 'from B' },
    });
  });

  it('a store holding records is read as is', async () => {
    const { device } = await seededRelay(12);
    const spy = spyStore();
    await spy.store.commit({
      records: [
        {
          collection: 'settings',
          id: 's1',
          doc: undefined,
          deleted: true,
          dirty: true,
          localVersion: 1,
          seen: undefined,
        },
      ],
    });
    await device(spy.store).engine.sync();
    expect(spy.reads.filter((r) => r.startsWith('conversations/'))).toHaveLength(12);
  });

  it('a store whose emptiness cannot be told is read as is', async () => {
    const inner = createMemoryLocalStore();
    expect(skipAbsentReads(inner)).toBe(inner);
    const spy = spyStore({ isEmpty: () => Promise.reject(new Error('database closed')) });
    const wrapped = skipAbsentReads(spy.store);
    expect(await wrapped.getRecords([{ collection: 'memory', id: 'k1' }])).toEqual([undefined]);
    expect(spy.reads).toEqual(['memory/k1']);
  });

  it('a key whose commit is still running (or failed) is read for real', async () => {
    const spy = spyStore();
    let fail: (e: Error) => void = () => {};
    const failing: LocalRecordStore = {
      ...spy.store,
      commit: () => new Promise<void>((_resolve, reject) => (fail = reject)),
    };
    const wrapped = skipAbsentReads(failing);
    expect(await wrapped.getRecord('memory', 'k0')).toBeUndefined();
    expect(spy.reads).toEqual([]);
    const record = {
      collection: 'memory',
      id: 'k1',
      doc: undefined,
      deleted: true,
      dirty: true,
      localVersion: 1,
      seen: undefined,
    };
    const committing = wrapped.commit({ records: [record] });
    const keys = [
      { collection: 'memory', id: 'k1' },
      { collection: 'memory', id: 'k2' },
    ];
    expect(await wrapped.getRecords(keys)).toEqual([undefined, undefined]);
    expect(spy.reads).toEqual(['memory/k1']);
    fail(new Error('quota'));
    await expect(committing).rejects.toThrow('quota');
    expect(await wrapped.getRecord('memory', 'k1')).toBeUndefined();
    expect(spy.reads).toEqual(['memory/k1', 'memory/k1']);
  });

  it('lists seen versions from what it committed, until a commit fails', async () => {
    const { device } = await seededRelay(25);
    const spy = spyStore();
    let listed = 0;
    let failNext = false;
    const counted: LocalRecordStore = {
      ...spy.store,
      listSeen: () => ((listed += 1), spy.inner.listSeen()),
      commit: (change) =>
        failNext ? Promise.reject(new Error('quota')) : spy.inner.commit(change),
    };
    const wrapped = skipAbsentReads(counted);
    // (The engine wraps its store again; this first read starts this wrapper's tracking.)
    expect(await wrapped.getRecord('conversations', 'c0')).toBeUndefined();
    const b = device(wrapped);
    await b.engine.sync(); // pulls, then checks the manifest against every seen version
    const sort = (l: { id: string }[]) => [...l].sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(sort(await wrapped.listSeen())).toEqual(sort(await spy.inner.listSeen()));
    expect(listed).toBe(0);
    failNext = true;
    await expect(b.engine.setFields('conversations', 'c1', { title: 'x' })).rejects.toThrow(
      'quota',
    );
    await wrapped.listSeen();
    expect(listed).toBe(1);
  });

  it('reads the outbox once, then keeps it in step with the commits', async () => {
    const spy = spyStore();
    let reads = 0;
    let failNext = false;
    const wrapped = skipAbsentReads({
      ...spy.store,
      listOutbox: () => ((reads += 1), spy.inner.listOutbox()),
      commit: (change) =>
        failNext ? Promise.reject(new Error('quota')) : spy.inner.commit(change),
    });
    const op = (opId: string) => ({
      opId,
      collection: 'memory',
      id: opId,
      baseRevision: 0,
      revision: 1,
      deleted: false,
      envelope: new Uint8Array([1]),
      hash: 'h',
      localVersion: 1,
    });
    expect(await wrapped.listOutbox()).toEqual([]);
    await wrapped.commit({ outboxPut: [op('o1'), op('o2')] });
    await wrapped.commit({ outboxDelete: ['o1'] });
    expect((await wrapped.listOutbox()).map((o) => o.opId)).toEqual(['o2']);
    expect(reads).toBe(1);
    expect(await wrapped.listOutbox()).toEqual(await spy.inner.listOutbox());
    failNext = true;
    await expect(wrapped.commit({ outboxPut: [op('o3')] })).rejects.toThrow('quota');
    await wrapped.listOutbox();
    expect(reads).toBe(2); // after a failed commit the store is asked again
  });
});
