/**
 * The first upload of a browser holding many records goes up a page at a time: each round
 * reads and seals at most one page of dirty records, sends it in one request and records
 * its acknowledgements in one commit. Local writes in a batch are one commit too.
 */
import { describe, expect, it } from 'vitest';
import { RelayError, isSyncError } from './errors';
import { createFakeRelay } from './fake-relay';
import { createMemoryLocalStore } from './memory-local-store';
import type { LocalRecordStore, StoreCommit } from './ports';
import { createTestDevice, fakeSyncKeys } from './sync-test-kit';

function spiedStore() {
  const store = createMemoryLocalStore();
  const commits: StoreCommit[] = [];
  const dirtyReads: (number | undefined)[] = [];
  const spied: LocalRecordStore = {
    ...store,
    listDirty(limit) {
      dirtyReads.push(limit);
      return store.listDirty(limit);
    },
    async commit(change) {
      commits.push(structuredClone(change));
      await store.commit(change);
    },
  };
  return { store, spied, commits, dirtyReads };
}

const titles = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i}`, fields: { title: `t${i}` } }));

describe('pushing many records', () => {
  it('a batch of local writes is one commit', async () => {
    const s = spiedStore();
    const a = createTestDevice(createFakeRelay(), fakeSyncKeys(), 'A', { store: s.spied });
    await a.engine.writeMany('conversations', titles(7));
    expect(s.commits).toHaveLength(1);
    expect(s.commits[0]?.records?.map((r) => r.id)).toEqual(titles(7).map((t) => t.id));
    expect(await a.engine.readMany('conversations', ['c0', 'nope'])).toMatchObject([
      { id: 'c0', value: { title: 't0' } },
      undefined,
    ]);
  });

  it('deleting an already deleted record is a no-op, not a refusal', async () => {
    const a = createTestDevice(createFakeRelay(), fakeSyncKeys(), 'A');
    await a.engine.setFields('conversations', 'gone', { title: 'x' });
    await a.engine.remove('conversations', 'gone');
    const s = await a.store.listDirty();
    await a.engine.writeMany('conversations', [{ id: 'gone', remove: true }]);
    expect(await a.store.listDirty()).toEqual(s);
  });

  it('a refused write in a batch keeps the writes before it', async () => {
    const a = createTestDevice(createFakeRelay(), fakeSyncKeys(), 'A');
    await a.engine.setFields('conversations', 'gone', { title: 'x' });
    await a.engine.remove('conversations', 'gone');
    const batch = [
      { id: 'c0', fields: { title: 't0' } },
      { id: 'gone', fields: { title: 'again' } },
      { id: 'c2', fields: { title: 't2' } },
    ];
    await expect(a.engine.writeMany('conversations', batch)).rejects.toSatisfy((e: unknown) =>
      isSyncError(e, 'invalid-write'),
    );
    expect(await a.engine.read('conversations', 'c0')).toBeDefined();
    expect(await a.engine.read('conversations', 'c2')).toBeUndefined();
  });

  it('goes up one page per request, each acknowledged in one commit', async () => {
    const relay = createFakeRelay();
    const s = spiedStore();
    const pushes: number[] = [];
    const a = createTestDevice(relay, fakeSyncKeys(), 'A', {
      store: s.spied,
      maxOpsPerPush: 3,
      transport: {
        ...relay.transport,
        push: (body) => {
          pushes.push(body.ops.length);
          return relay.transport.push(body);
        },
      },
    });
    await a.engine.writeMany('conversations', titles(7));
    s.commits.length = 0;
    expect((await a.engine.sync()).pushed).toBe(7);
    expect(pushes).toEqual([3, 3, 1]);
    // Never more than a page of dirty records read (and decrypted) at once.
    expect(s.dirtyReads.every((l) => l === 3)).toBe(true);
    const acks = s.commits.filter((c) => (c.outboxDelete?.length ?? 0) > 0);
    expect(acks.map((c) => c.outboxDelete?.length)).toEqual([3, 3, 1]);
    expect(await s.store.listDirty()).toEqual([]);
    expect(s.store.outbox.size).toBe(0);
  });

  it('a pass cut mid-upload resumes with the queued page, then the rest', async () => {
    const relay = createFakeRelay();
    let calls = 0;
    const a = createTestDevice(relay, fakeSyncKeys(), 'A', {
      maxOpsPerPush: 3,
      maxAttempts: 1,
      transport: {
        ...relay.transport,
        push: (body) =>
          ++calls === 2
            ? Promise.reject(new RelayError('network', 'down'))
            : relay.transport.push(body),
      },
    });
    await a.engine.writeMany('conversations', titles(7));
    await expect(a.engine.sync()).rejects.toMatchObject({ code: 'network' });
    expect(a.store.outbox.size).toBe(3); // the second page, sealed and persisted
    expect((await a.engine.sync()).pushed).toBe(4);
    expect(relay.state.records.size).toBe(7);
    expect(await a.store.listDirty()).toEqual([]);
  });
});
