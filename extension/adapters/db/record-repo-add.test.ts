/** `addMany` (a first sync's new records): no read, one transaction, all or nothing. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import type { Message } from '../../core/models';
import { RecordError } from '../../core/records/record-repo-port';
import { dexieBridgeCollection } from '../sync/dexie-bridge-collection';
import { createRecordRepo } from './record-repo';
import { createDexieRecordTable, createMemoryRecordTable, type RecordTable } from './record-table';
import { countingTable, testMessage } from './record-repo-test-kit';
import { openNookDb } from './schema';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = (await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })).vault;
});

const msg = testMessage;
const entries = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    id: `m${from + i}`,
    value: msg(`m${from + i}`, `text ${from + i}`, from + i),
  }));

function repoOver(table: RecordTable, getVault: () => UnlockedVault = () => vault) {
  return createRecordRepo<Message>(table, 'messages', getVault, {
    index: (m) => ({ conversationId: m.conversationId, createdAt: m.createdAt }),
  });
}

const dexieDb = () => openNookDb({ indexedDB: new IDBFactory(), IDBKeyRange });

describe('record repository: addMany', () => {
  for (const [name, makeTable] of [
    ['memory', () => createMemoryRecordTable()],
    ['Dexie (fake-indexeddb)', () => createDexieRecordTable(dexieDb().messages)],
  ] as const) {
    it(`${name}: seals each new record as revision 1 without reading first`, async () => {
      const { table, calls } = countingTable(makeTable());
      const repo = repoOver(table);
      expect(await repo.addMany(entries(250))).toEqual(entries(250).map(() => 1));
      expect(calls.get + calls.getMany).toBe(0);
      expect(await repo.get('m42')).toEqual(msg('m42', 'text 42', 42));
      const [row] = await table.getMany(['m7']);
      expect(row).toMatchObject({ rev: 1, deleted: 0, conversationId: 'c1', createdAt: 7 });
      expect(Buffer.from(row!.env).toString('latin1')).not.toContain('text 7');
      // Then edited like any record: the next revision.
      expect(await repo.put('m7', msg('m7', 'edited', 7))).toBe(2);
    });

    it(`${name}: any id already there (live or deleted) writes nothing and says so`, async () => {
      const table = makeTable();
      const repo = repoOver(table);
      await repo.put('m150', msg('m150', 'kept'));
      await repo.put('m3', msg('m3', 'gone'));
      await repo.delete('m3');
      for (const batch of [entries(300), entries(10)]) {
        const error = await repo.addMany(batch).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RecordError);
        expect(error).toMatchObject({ code: 'exists', message: 'This item already exists.' });
      }
      const rows = await table.query({ kind: 'all' });
      expect(rows.map((r) => r.id).sort()).toEqual(['m150', 'm3']);
      expect(await repo.get('m150')).toMatchObject({ content: 'kept' });
      // The caller's fallback: putMany reads and writes the next revisions.
      expect((await repo.putMany(entries(4, 149))).sort()).toEqual([1, 1, 1, 2]);
    });
  }

  it('refuses a batch naming one id twice, a locked vault, and writes nothing', async () => {
    const inner = createMemoryRecordTable();
    await expect(repoOver(inner).addMany([...entries(2), ...entries(1)])).rejects.toBeInstanceOf(
      RangeError,
    );
    const locked = repoOver(inner, () => {
      throw new Error('locked');
    });
    await expect(locked.addMany(entries(2))).rejects.toMatchObject({ code: 'locked' });
    expect(inner.rows.size).toBe(0);
    expect(await repoOver(inner).addMany([])).toEqual([]);
  });

  it('the memory table refuses duplicate rows like the Dexie one', async () => {
    const table = createMemoryRecordTable();
    const row = { id: 'x', rev: 1, deleted: 0 as const, updatedAt: 1, env: new Uint8Array(1) };
    await expect(table.addMany([row, row])).rejects.toMatchObject({ code: 'exists' });
    expect(table.rows.size).toBe(0);
  });

  it('the bridge collection adds new records, and refuses existing ones untouched', async () => {
    const db = dexieDb();
    const repo = repoOver(createDexieRecordTable(db.messages));
    const collection = dexieBridgeCollection('messages', db.messages, repo);
    expect(await collection.addMany!(entries(3))).toEqual([1, 1, 1]);
    expect(await collection.rowsOf!(['m0', 'm2'])).toEqual([
      { id: 'm0', rev: 1, deleted: false },
      { id: 'm2', rev: 1, deleted: false },
    ]);
    await expect(collection.addMany!(entries(2, 2))).rejects.toMatchObject({ code: 'exists' });
    expect(await db.messages.count()).toBe(3);
    expect(await collection.read('m2')).toEqual(msg('m2', 'text 2', 2));
    db.close();
  });
});
