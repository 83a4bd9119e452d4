import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { openNookDb, RECORD_TABLES, SCHEMA_VERSIONS, type NookDb, type RecordRow } from './schema';

const opened: NookDb[] = [];
function open(indexedDB: IDBFactory, upToVersion?: number): NookDb {
  const db = openNookDb({ indexedDB, IDBKeyRange, upToVersion });
  opened.push(db);
  return db;
}
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

/** Store → index names, read from the real (fake) IndexedDB, not Dexie's declaration. */
async function layout(db: NookDb): Promise<Record<string, string[]>> {
  await db.open();
  const idb = db.backendDB();
  const names = [...idb.objectStoreNames];
  const tx = idb.transaction(names, 'readonly');
  return Object.fromEntries(names.map((n) => [n, [...tx.objectStore(n).indexNames].sort()]));
}

const row = (id: string, extra: Partial<RecordRow> = {}): RecordRow => ({
  id,
  rev: 1,
  deleted: 0,
  updatedAt: 1000,
  env: new Uint8Array([1, 2, 3]),
  ...extra,
});

describe('nook schema', () => {
  it('version 1 creates meta plus one table per collection, indexed only on ids and times', async () => {
    const db = open(new IDBFactory(), 1);
    expect(db.verno).toBe(1);
    expect(await layout(db)).toEqual({
      meta: [],
      conversations: ['updatedAt'],
      messages: ['conversationId', 'createdAt'],
      memory: ['updatedAt'],
      settings: [],
      secrets: [],
      ledger: ['at'],
      personas: ['updatedAt'],
      prompts: ['updatedAt'],
      usage: ['updatedAt'],
    });
    expect(db.tables.map((t) => t.name).sort()).toEqual(['meta', ...RECORD_TABLES].sort());
  });

  it('version 1 stores and queries envelopes by parent id and time', async () => {
    const db = open(new IDBFactory(), 1);
    await db.messages.bulkPut([
      row('m1', { conversationId: 'c1', createdAt: 10 }),
      row('m2', { conversationId: 'c2', createdAt: 20 }),
    ]);
    const inC1 = await db.messages.where('conversationId').equals('c1').toArray();
    expect(inC1.map((r) => r.id)).toEqual(['m1']);
    expect(inC1[0]?.env).toEqual(new Uint8Array([1, 2, 3]));
  });

  // One upgrade test per version after the first: data written under version N-1 is
  // still there under N, and N keeps every table and index N-1 had (versions only add).
  for (const { version } of SCHEMA_VERSIONS.slice(1)) {
    it(`upgrades version ${version - 1} → ${version} without losing rows or indexes`, async () => {
      const idb = new IDBFactory();
      const before = open(idb, version - 1);
      await before.conversations.put(row('c1'));
      await before.meta.put({ key: 'kitPending', value: false });
      const oldLayout = await layout(before);
      before.close();
      const after = open(idb, version);
      expect((await after.conversations.get('c1'))?.env).toEqual(new Uint8Array([1, 2, 3]));
      expect((await after.meta.get('kitPending'))?.value).toBe(false);
      const newLayout = await layout(after);
      for (const [table, indexes] of Object.entries(oldLayout)) {
        expect(newLayout[table]).toEqual(expect.arrayContaining(indexes));
      }
    });
  }

  it('version 2 adds the sync tables, indexed only on keys and flags', async () => {
    const db = open(new IDBFactory(), 2);
    const l = await layout(db);
    expect(l.sync_records).toEqual(['collection', 'dirty']);
    expect(l.sync_outbox).toEqual([]);
    expect(l.sync_local).toEqual([]);
    await db
      .table('sync_records')
      .put({ key: 'conversations/c1', collection: 'conversations', dirty: 1 });
    const dirty = await db.table('sync_records').where('dirty').equals(1).toArray();
    expect(dirty).toHaveLength(1);
  });

  it('the current schema opens a database created by version 1 (latest = every version)', async () => {
    const idb = new IDBFactory();
    const v1 = open(idb, 1);
    await v1.settings.put(row('app'));
    v1.close();
    const current = open(idb);
    expect(current.verno).toBe(SCHEMA_VERSIONS.at(-1)?.version);
    expect((await current.settings.get('app'))?.rev).toBe(1);
  });
});
