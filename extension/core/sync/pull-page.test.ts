/**
 * Pulled pages are applied as batches: one store read, one commit per page carrying the
 * page's records and its cursor (one IndexedDB transaction in the extension). A refused
 * record still keeps the verified ones before it, never the cursor past it.
 */
import { describe, expect, it } from 'vitest';
import { isSyncError } from './errors';
import { createFakeRelay, fakeKey } from './fake-relay';
import { createMemoryLocalStore } from './memory-local-store';
import type { LocalRecordStore, StoreCommit } from './ports';
import { createTestDevice, fakeSyncKeys } from './sync-test-kit';

/** A memory store that records every commit and every read. */
function spiedStore() {
  const store = createMemoryLocalStore();
  const commits: StoreCommit[] = [];
  const reads = { single: 0, batched: 0 };
  const spied: LocalRecordStore = {
    ...store,
    getRecord(collection, id) {
      reads.single += 1;
      return store.getRecord(collection, id);
    },
    getRecords(keys) {
      reads.batched += 1;
      return store.getRecords(keys);
    },
    async commit(change) {
      commits.push(structuredClone(change));
      await store.commit(change);
    },
  };
  return { store, spied, commits, reads };
}

async function sevenRecords() {
  const relay = createFakeRelay();
  const keys = fakeSyncKeys();
  const a = createTestDevice(relay, keys, 'A');
  for (let i = 0; i < 7; i++)
    await a.engine.setFields('conversations', `c${i}`, { title: `t${i}` });
  await a.engine.sync();
  return { relay, keys };
}

describe('pulled pages', () => {
  it('commits each page once, with its records and its cursor together', async () => {
    const { relay, keys } = await sevenRecords();
    const s = spiedStore();
    const b = createTestDevice(relay, keys, 'B', { store: s.spied, pullLimit: 3 });
    expect((await b.engine.sync()).pulled).toBe(7);

    const pages = s.commits.filter((c) => (c.records?.length ?? 0) > 0);
    expect(pages.map((c) => c.records?.length)).toEqual([3, 3, 1]);
    // The cursor travels in the same commit as the records it covers.
    const cursors = pages.map((c) => c.state?.cursor);
    expect(cursors.every((c) => typeof c === 'number')).toBe(true);
    expect(cursors).toEqual([...cursors].sort((x, y) => (x ?? 0) - (y ?? 0)));
    expect(s.reads).toEqual({ single: 0, batched: 3 });
    expect((await b.engine.list('conversations')).map((r) => r.value)).toHaveLength(7);
  });

  it('a refused record keeps the verified records before it, but not the cursor', async () => {
    const { relay, keys } = await sevenRecords();
    // The relay mangles the fifth record it serves (by seq order).
    const served = [...relay.state.records.values()].sort((x, y) => x.seq - y.seq);
    const victim = served[4]!;
    relay.state.records.set(fakeKey(victim.collection, victim.id), {
      ...victim,
      envelope: served[0]!.envelope,
    });
    const s = spiedStore();
    const b = createTestDevice(relay, keys, 'B', { store: s.spied, pullLimit: 10 });
    await expect(b.engine.sync()).rejects.toSatisfy((e: unknown) => isSyncError(e, 'record-swap'));

    expect(s.store.records.size).toBe(4);
    expect(s.commits.every((c) => c.state === undefined || c.state.cursor === 0)).toBe(true);
    expect((await s.store.getState())?.cursor ?? 0).toBe(0);
  });

  it('an id served twice in one page is merged twice, in order', async () => {
    const relay = createFakeRelay();
    const keys = fakeSyncKeys();
    const a = createTestDevice(relay, keys, 'A');
    await a.engine.setFields('settings', 's1', { theme: 'dark' });
    await a.engine.sync();
    const b = createTestDevice(relay, keys, 'B');
    await b.engine.sync();
    await a.engine.setFields('settings', 's1', { theme: 'light' });
    await a.engine.sync();
    // A relay replays the old version ahead of the new one within one page.
    const now = relay.state.records.get(fakeKey('settings', 's1'))!;
    const pull = relay.transport.pull.bind(relay.transport);
    const replayed = { ...now, revision: now.revision - 1, envelope: undefined, deleted: true };
    relay.transport.pull = async (since, limit) => {
      const reply = await pull(since, limit);
      return { ...reply, records: [...reply.records, { ...replayed, seq: reply.cursor }] };
    };
    await expect(b.engine.sync()).rejects.toSatisfy((e: unknown) => isSyncError(e, 'rollback'));
    // The honest version earlier in the page was kept.
    expect(await b.engine.read('settings', 's1')).toMatchObject({ value: { theme: 'light' } });
  });
});
