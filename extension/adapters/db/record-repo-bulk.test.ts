/** `putMany` (a first sync's batch writes) and the bulk paths of both record tables. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import type { Message } from '../../core/models';
import { createRecordRepo } from './record-repo';
import { createDexieRecordTable, createMemoryRecordTable, type RecordTable } from './record-table';
import { countingTable, testMessage } from './record-repo-test-kit';
import { openNookDb } from './schema';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = (await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })).vault;
});

const msg = testMessage;

function repoOver(table: RecordTable, getVault: () => UnlockedVault = () => vault) {
  let t = 1000;
  return createRecordRepo<Message>(table, 'messages', getVault, {
    index: (m) => ({ conversationId: m.conversationId, createdAt: m.createdAt }),
    now: () => ++t,
  });
}

describe('record repository: putMany', () => {
  it('seals every value under its next revision with one read and one write', async () => {
    const inner = createMemoryRecordTable();
    const { table, calls } = countingTable(inner);
    const repo = repoOver(table);
    await repo.put('m1', msg('m1', 'old text', 7));
    const revs = await repo.putMany([
      { id: 'm1', value: msg('m1', 'new text', 7) },
      { id: 'm2', value: msg('m2', 'launch code 4242', 8) },
    ]);
    expect(revs).toEqual([2, 1]);
    expect(calls).toMatchObject({ put: 1, putMany: 1, getMany: 1 });
    expect(inner.rows.get('m1')).toMatchObject({ rev: 2, conversationId: 'c1', createdAt: 7 });
    expect(Buffer.from(inner.rows.get('m2')!.env).toString('latin1')).not.toContain('4242');
    expect((await repo.get('m1')).content).toBe('new text');
    expect((await repo.get('m2')).content).toBe('launch code 4242');
  });

  it('attack: envelopes written in one batch are still bound to their own record', async () => {
    const inner = createMemoryRecordTable();
    const repo = repoOver(inner);
    await repo.putMany([
      { id: 'm1', value: msg('m1', 'one') },
      { id: 'm2', value: msg('m2', 'two') },
    ]);
    const m1 = inner.rows.get('m1')!;
    inner.rows.set('m2', { ...inner.rows.get('m2')!, env: m1.env });
    await expect(repo.get('m2')).rejects.toMatchObject({ code: 'decrypt-failed' });
  });

  it('refuses a batch naming one id twice, and writes nothing', async () => {
    const inner = createMemoryRecordTable();
    const repo = repoOver(inner);
    await expect(
      repo.putMany([
        { id: 'm1', value: msg('m1', 'a') },
        { id: 'm1', value: msg('m1', 'b') },
      ]),
    ).rejects.toBeInstanceOf(RangeError);
    expect(inner.rows.size).toBe(0);
  });

  it('reports a locked vault as a coded error and writes nothing', async () => {
    const inner = createMemoryRecordTable();
    const repo = repoOver(inner, () => {
      throw new Error('locked');
    });
    await expect(repo.putMany([{ id: 'm1', value: msg('m1', 'x') }])).rejects.toMatchObject({
      code: 'locked',
    });
    expect(inner.rows.size).toBe(0);
  });

  it('an empty batch touches nothing', async () => {
    const { table, calls } = countingTable();
    expect(await repoOver(table).putMany([])).toEqual([]);
    expect(calls).toMatchObject({ put: 0, putMany: 0, getMany: 0 });
  });

  it('works over the real Dexie schema (fake-indexeddb), in the order given', async () => {
    const db = openNookDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const dexieTable = createDexieRecordTable(db.messages);
    const repo = repoOver(dexieTable);
    const entries = Array.from({ length: 300 }, (_, i) => ({
      id: `m${i}`,
      value: msg(`m${i}`, `text ${i}`, i),
    }));
    expect(await repo.putMany(entries)).toEqual(entries.map(() => 1));
    expect(await db.messages.count()).toBe(300);
    const rows = await dexieTable.getMany(['m5', 'missing', 'm0']);
    expect(rows.map((r) => r?.id)).toEqual(['m5', undefined, 'm0']);
    const listed = await repo.list({ kind: 'between', index: 'createdAt', lower: 10, upper: 12 });
    expect(listed.map((r) => r.ok && r.value.content).sort()).toEqual([
      'text 10',
      'text 11',
      'text 12',
    ]);
    db.close();
  });
});
