import { describe, expect, it } from 'vitest';
import { createFakeRelay } from '../sync/fake-relay';
import type { RelayTransport } from '../sync/ports';
import { createTestDevice, fakeSyncKeys } from '../sync/sync-test-kit';
import { createSyncBridge, type BridgeCollection, type SyncBridge } from './bridge';
import { BODY_COLLECTIONS, BRIDGE_POLICIES } from './collections';
import { createMemoryBridgeCollection, createMemoryMarkStore } from './memory-bridge-collection';

type Collection = ReturnType<typeof createMemoryBridgeCollection>;
const keys = fakeSyncKeys();

/** A device whose bridge sees `wrap(collection)`; the engine pulls `pullLimit` per page. */
function device(
  relay: ReturnType<typeof createFakeRelay>,
  name: string,
  o: { pullLimit?: number; transport?: RelayTransport; wrap?: (c: Collection) => BridgeCollection },
) {
  const ref: { bridge?: SyncBridge } = {};
  const d = createTestDevice(relay, keys, name, {
    policies: BRIDGE_POLICIES,
    onRemoteApplied: (c, id, value) => ref.bridge?.noteRemote(c, id, { value }),
    ...(o.pullLimit === undefined ? {} : { pullLimit: o.pullLimit }),
    ...(o.transport === undefined ? {} : { transport: o.transport }),
  });
  const conversations = createMemoryBridgeCollection('conversations');
  const messages = createMemoryBridgeCollection('messages');
  const wrap = o.wrap ?? ((c: Collection) => c);
  const bridge = createSyncBridge({
    engine: d.engine,
    collections: [wrap(conversations), wrap(messages)],
    bodyCollections: BODY_COLLECTIONS,
    marks: createMemoryMarkStore(),
  });
  ref.bridge = bridge;
  return { ...d, conversations, messages, bridge };
}

async function seed(relay: ReturnType<typeof createFakeRelay>, n: number) {
  const a = device(relay, 'A', {});
  for (let i = 0; i < n; i++) await a.messages.write(`m${i}`, { id: `m${i}`, text: `t${i}` });
  await a.conversations.write('c1', { id: 'c1', title: 'Trip', pinned: false });
  await a.bridge.run();
  return a;
}

describe('sync bridge: step 3 streams during the pull', () => {
  it('relay values reach the repos while the pull is still running', async () => {
    const relay = createFakeRelay();
    await seed(relay, 60);
    const seenAtPull: number[] = [];
    const ref: { b?: ReturnType<typeof device> } = {};
    const b = (ref.b = device(relay, 'B', {
      pullLimit: 10,
      transport: {
        ...relay.transport,
        pull: async (since, limit) => {
          // Let the stream run as a browser would between two network round trips.
          await new Promise((r) => setTimeout(r, 0));
          seenAtPull.push(Object.keys(ref.b?.messages.values() ?? {}).length);
          return relay.transport.pull(since, limit);
        },
      },
    }));
    expect((await b.bridge.run()).appliedIn).toBe(61);
    expect(Object.keys(b.messages.values())).toHaveLength(60);
    // Pages were stored before the last one was even requested.
    expect(Math.max(...seenAtPull)).toBeGreaterThan(0);
    expect(await b.bridge.run()).toMatchObject({ appliedIn: 0, mirroredOut: 0 });
    expect(await b.store.listDirty()).toEqual([]);
  });

  it('new records are added without reading their rows; an existing one takes the normal path', async () => {
    const relay = createFakeRelay();
    const a = await seed(relay, 3);
    const calls = { addMany: 0, writeMany: 0 };
    let refuse = false;
    const b = device(relay, 'B', {
      wrap: (c) => ({
        ...c,
        addMany: (entries) => {
          calls.addMany += 1;
          if (refuse) return Promise.reject(new Error('exists'));
          return c.addMany!(entries);
        },
        writeMany: (entries) => {
          calls.writeMany += 1;
          return c.writeMany(entries);
        },
      }),
    });
    await b.bridge.run();
    expect(calls).toEqual({ addMany: 2, writeMany: 0 });
    expect(b.messages.rev('m0')).toBe(1);
    // A record the repo turns out to hold (its add refused) is written the normal way.
    refuse = true;
    await a.messages.write('m9', { id: 'm9', text: 'late' });
    await a.bridge.run();
    await b.messages.write('m9', { id: 'm9', text: 'late' }); // e.g. an import made meanwhile
    await b.bridge.run();
    expect(calls.writeMany).toBe(0); // same value: nothing to write
    expect(b.messages.values()['m9']).toEqual({ id: 'm9', text: 'late' });
    await a.conversations.write('c2', { id: 'c2', title: 'Work' });
    await a.bridge.run();
    await b.bridge.run();
    expect(calls.writeMany).toBe(1);
    expect(b.conversations.values()['c2']).toEqual({ id: 'c2', title: 'Work' });
  });

  it('a noted record edited here meanwhile is applied later with the merged value', async () => {
    const relay = createFakeRelay();
    const a = await seed(relay, 0);
    const b = device(relay, 'B', {});
    await b.bridge.run();
    await a.conversations.write('c1', { id: 'c1', title: 'Trip to Oslo', pinned: false });
    await a.bridge.run();
    // B edits the same record before its next pass: the relay's value is noted, not applied.
    await b.conversations.write('c1', { id: 'c1', title: 'Trip', pinned: true });
    await b.bridge.pushLocal();
    await b.bridge.run();
    await a.bridge.run();
    const expected = { id: 'c1', title: 'Trip to Oslo', pinned: true };
    expect(b.conversations.values()['c1']).toEqual(expected);
    expect(a.conversations.values()['c1']).toEqual(expected);
  });
});
