import type { Table } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createDataService } from '../../core/data/data-service';
import { freshStore, seedVaried, source } from '../../core/data/data-test-kit';
import {
  createSyncBridge,
  type BridgeCollection,
  type LocalRow,
  type SyncBridge,
} from '../../core/sync-bridge/bridge';
import { BODY_COLLECTIONS, BRIDGE_POLICIES } from '../../core/sync-bridge/collections';
import {
  createMemoryBridgeCollection,
  createMemoryMarkStore,
} from '../../core/sync-bridge/memory-bridge-collection';
import { createFakeRelay } from '../../core/sync/fake-relay';
import { createTestDevice, fakeSyncKeys } from '../../core/sync/sync-test-kit';
import type { BulkRecordRepo } from '../db/record-repo';
import { createDexieRepos } from '../db/repos';
import { openNookDb, type RecordRow } from '../db/schema';
import { createAtomicWriter, createDexieRowStore } from './atomic-writer';

/** The bridge's view of one Dexie table, as adapters/sync/sync-wiring.ts builds it. */
function dexieCollection(
  name: string,
  table: Table<RecordRow, string>,
  repo: BulkRecordRepo<unknown>,
): BridgeCollection {
  const local = (r: RecordRow): LocalRow => ({ id: r.id, rev: r.rev, deleted: r.deleted === 1 });
  return {
    name,
    rows: async () => (await table.toArray()).map(local),
    row: async (id) => {
      const r = await table.get(id);
      return r && local(r);
    },
    read: (id) => repo.get(id),
    write: (id, value) => repo.put(id, value),
    writeMany: (entries) => repo.putMany(entries),
    async remove(id) {
      await repo.delete(id);
      return (await table.get(id))?.rev;
    },
  };
}

describe('an import in a browser linked to sync', () => {
  it('is pushed on the next sync, like any local change, and reaches the other browser', async () => {
    const src = await freshStore();
    await seedVaried(src, 8, 4);
    const file = await src.data.exportAs('json');

    // Browser A: the real Dexie tables, repositories and import writer.
    const { vault } = await freshStore();
    const db = openNookDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const repos = createDexieRepos(db, () => vault);
    let clock = 1_800_000_000_000;
    const data = createDataService({
      repos,
      writer: createAtomicWriter(
        createDexieRowStore(db),
        () => vault,
        () => ++clock,
      ),
    });
    const relay = createFakeRelay();
    const keys = fakeSyncKeys();
    const a = createTestDevice(relay, keys, 'A', { policies: BRIDGE_POLICIES });
    const bridgeA = createSyncBridge({
      engine: a.engine,
      collections: [
        dexieCollection('conversations', db.conversations, repos.conversations),
        dexieCollection('messages', db.messages, repos.messages),
        dexieCollection('memory', db.memory, repos.memory),
      ],
      bodyCollections: BODY_COLLECTIONS,
      marks: createMemoryMarkStore(),
    });
    // Linked and in step before the import.
    await repos.conversations.put('mine', {
      id: 'mine',
      title: 'Before',
      createdAt: 1,
      updatedAt: 1,
    });
    expect((await bridgeA.run()).mirroredOut).toBe(1);
    const before = clock;

    const summary = await data.importFile(source(file.bytes));
    expect(summary.added).toBeGreaterThan(0);
    // Imported rows carry a fresh change time, stamped after sealing (see atomic-writer.ts).
    const rows = await db.conversations.toArray();
    expect(rows.filter((r) => r.id !== 'mine').every((r) => r.updatedAt > before)).toBe(true);

    const pushed = await bridgeA.run();
    expect(pushed.mirroredOut).toBe(2 + 8 + (await db.memory.count()));

    // Browser B pulls them.
    const ref: { bridge?: SyncBridge } = {};
    const b = createTestDevice(relay, keys, 'B', {
      policies: BRIDGE_POLICIES,
      onRemoteApplied: (c, id, value) => ref.bridge?.noteRemote(c, id, { value }),
    });
    const conversations = createMemoryBridgeCollection('conversations');
    const messages = createMemoryBridgeCollection('messages');
    const memory = createMemoryBridgeCollection('memory');
    ref.bridge = createSyncBridge({
      engine: b.engine,
      collections: [conversations, messages, memory],
      bodyCollections: BODY_COLLECTIONS,
      marks: createMemoryMarkStore(),
    });
    await ref.bridge.run();
    expect(Object.keys(conversations.values()).sort()).toEqual(['conv-0', 'conv-1', 'mine']);
    expect(Object.keys(messages.values())).toHaveLength(8);
    expect(conversations.values()['conv-1']).toMatchObject({ title: 'Conversation 1' });
    expect(Object.keys(memory.values())).toHaveLength(await db.memory.count());
  });
});
