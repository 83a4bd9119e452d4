import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { KDF_FLOOR } from '../../../shared/crypto';
import { createDataService } from '../../core/data/data-service';
import { freshStore, seedVaried, source } from '../../core/data/data-test-kit';
import { createDexieRepos } from '../db/repos';
import { openNookDb } from '../db/schema';
import { createAtomicWriter, createDexieRowStore, type RowStore } from './atomic-writer';
import { wipeExtensionData } from './wipe';

async function dexieStore(indexedDB: IDBFactory) {
  const mem = await freshStore();
  const db = openNookDb({ indexedDB, IDBKeyRange });
  const repos = createDexieRepos(db, () => mem.vault);
  return { db, repos, vault: mem.vault };
}

describe('import over Dexie', () => {
  it('writes the whole import in one transaction, readable through the repositories', async () => {
    const src = await freshStore();
    await seedVaried(src, 24);
    const file = await src.data.exportAs('json');
    const { db, repos, vault } = await dexieStore(new IDBFactory());
    const data = createDataService({
      repos,
      writer: createAtomicWriter(createDexieRowStore(db), () => vault),
      bundleKdf: KDF_FLOOR,
    });
    const s = await data.importFile(source(file.bytes));
    expect(s.added).toBeGreaterThan(24);
    const messages = await repos.messages.list({
      kind: 'equals',
      index: 'conversationId',
      value: 'conv-0',
    });
    expect(messages.every((m) => m.ok)).toBe(true);
    expect(messages.length).toBeGreaterThan(0);
    expect((await data.importFile(source(file.bytes))).added).toBe(0);
  });

  it('rolls everything back when the commit finds a changed record', async () => {
    const src = await freshStore();
    await seedVaried(src, 12);
    const file = await src.data.exportAs('json');
    const { db, repos, vault } = await dexieStore(new IDBFactory());
    const rows = createDexieRowStore(db);
    const racing: RowStore = {
      read: rows.read,
      async commit(batches) {
        await repos.messages.put('msg-3', {
          id: 'msg-3',
          conversationId: 'conv-0',
          role: 'user',
          content: 'elsewhere',
          createdAt: 1,
        });
        return rows.commit(batches);
      },
    };
    const data = createDataService({ repos, writer: createAtomicWriter(racing, () => vault) });
    await expect(data.importFile(source(file.bytes))).rejects.toMatchObject({ code: 'conflict' });
    expect(await db.conversations.count()).toBe(0);
    expect(await db.messages.count()).toBe(1);
    expect(await db.settings.count()).toBe(0);
  });
});

describe('delete all data', () => {
  it('removes every database and clears both storage areas', async () => {
    const indexedDB = new IDBFactory();
    const { db, repos } = await dexieStore(indexedDB);
    await repos.conversations.put('c', { id: 'c', title: 't', createdAt: 1, updatedAt: 1 });
    const other = indexedDB.open('some-other-db');
    await new Promise((r) => (other.onsuccess = r));
    other.result.close();
    db.close();
    const cleared: string[] = [];
    await wipeExtensionData({
      indexedDB,
      storage: {
        local: { clear: async () => void cleared.push('local') },
        session: { clear: async () => void cleared.push('session') },
      },
    });
    expect(await indexedDB.databases()).toEqual([]);
    expect(cleared).toEqual(['local', 'session']);
  });
});
