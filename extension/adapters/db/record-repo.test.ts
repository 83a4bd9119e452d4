import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import type { Message } from '../../core/models';
import { RecordError } from '../../core/records/record-repo-port';
import { createRecordRepo } from './record-repo';
import { createDexieRecordTable, createMemoryRecordTable } from './record-table';
import { testMessage } from './record-repo-test-kit';
import { openNookDb } from './schema';

let vault: UnlockedVault;
let otherVault: UnlockedVault;
beforeAll(async () => {
  vault = (await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })).vault;
  otherVault = (await createVault({ passphrase: 'another vault, another key', kdf: KDF_FLOOR }))
    .vault;
});

const msg = testMessage;

function messagesRepo(getVault: () => UnlockedVault = () => vault) {
  const table = createMemoryRecordTable();
  let t = 1000;
  const repo = createRecordRepo<Message>(table, 'messages', getVault, {
    index: (m) => ({ conversationId: m.conversationId, createdAt: m.createdAt }),
    now: () => ++t,
  });
  return { table, repo };
}

describe('record repository', () => {
  it('stores only ciphertext plus plain ids and timestamps, and bumps the revision', async () => {
    const { table, repo } = messagesRepo();
    expect(await repo.put('m1', msg('m1', 'the launch code is 0000'))).toBe(1);
    expect(await repo.put('m1', msg('m1', 'the launch code is 1111'))).toBe(2);
    const row = table.rows.get('m1');
    expect(row && Object.keys(row).sort()).toEqual([
      'conversationId',
      'createdAt',
      'deleted',
      'env',
      'id',
      'rev',
      'updatedAt',
    ]);
    expect(row?.rev).toBe(2);
    expect(Buffer.from(row?.env ?? []).toString('latin1')).not.toContain('launch');
    expect((await repo.get('m1')).content).toBe('the launch code is 1111');
  });

  it('lists by parent id and by time range', async () => {
    const { repo } = messagesRepo();
    await repo.put('m1', msg('m1', 'one', 10));
    await repo.put('m2', { ...msg('m2', 'two', 20), conversationId: 'c2' });
    await repo.put('m3', msg('m3', 'three', 30));
    const inC1 = await repo.list({ kind: 'equals', index: 'conversationId', value: 'c1' });
    expect(inC1.map((r) => r.id).sort()).toEqual(['m1', 'm3']);
    const range = await repo.list({ kind: 'between', index: 'createdAt', lower: 15, upper: 30 });
    expect(range.map((r) => r.id).sort()).toEqual(['m2', 'm3']);
  });

  it('attack: one tampered record errors on its own while the rest still load', async () => {
    const { table, repo } = messagesRepo();
    for (const id of ['m1', 'm2', 'm3']) await repo.put(id, msg(id, `text ${id}`));
    const row = table.rows.get('m2');
    if (!row) throw new Error('missing row');
    row.env[row.env.length - 1] = (row.env[row.env.length - 1] ?? 0) ^ 1;
    const results = await repo.list();
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(byId.m1).toMatchObject({ ok: true, value: { content: 'text m1' } });
    expect(byId.m3).toMatchObject({ ok: true, value: { content: 'text m3' } });
    expect(byId.m2).toMatchObject({ ok: false, error: { code: 'decrypt-failed' } });
    const failed = byId.m2;
    expect(failed && !failed.ok && failed.error.message).toBe(
      'This item could not be decrypted; it may be damaged.',
    );
    await expect(repo.get('m2')).rejects.toBeInstanceOf(RecordError);
  });

  it('attack: an envelope moved to another record id does not open', async () => {
    const { table, repo } = messagesRepo();
    await repo.put('m1', msg('m1', 'mine'));
    await repo.put('m2', msg('m2', 'yours'));
    const m1 = table.rows.get('m1');
    const m2 = table.rows.get('m2');
    if (!m1 || !m2) throw new Error('missing rows');
    table.rows.set('m2', { ...m2, env: m1.env });
    await expect(repo.get('m2')).rejects.toMatchObject({ code: 'decrypt-failed' });
  });

  it('attack: a rolled-back row (old envelope, new revision) does not open', async () => {
    const { table, repo } = messagesRepo();
    await repo.put('m1', msg('m1', 'version one'));
    const v1 = table.rows.get('m1');
    await repo.put('m1', msg('m1', 'version two'));
    const v2 = table.rows.get('m1');
    if (!v1 || !v2) throw new Error('missing rows');
    table.rows.set('m1', { ...v2, env: v1.env });
    await expect(repo.get('m1')).rejects.toMatchObject({ code: 'decrypt-failed' });
  });

  it('attack: a record sealed by another vault does not open', async () => {
    const mine = messagesRepo();
    const theirs = messagesRepo(() => otherVault);
    await theirs.repo.put('m1', msg('m1', 'foreign'));
    const row = theirs.table.rows.get('m1');
    if (!row) throw new Error('missing row');
    await mine.table.put(row);
    await expect(mine.repo.get('m1')).rejects.toMatchObject({ code: 'decrypt-failed' });
  });

  it('deletes by tombstone: the old ciphertext and plain index fields are gone', async () => {
    const { table, repo } = messagesRepo();
    await repo.put('m1', msg('m1', 'forget me'));
    const before = table.rows.get('m1')?.env.length ?? 0;
    await repo.delete('m1');
    const row = table.rows.get('m1');
    expect(row).toMatchObject({ id: 'm1', rev: 2, deleted: 1 });
    expect(row?.conversationId).toBeUndefined();
    expect(row?.env.length).toBeLessThanOrEqual(before);
    await expect(repo.get('m1')).rejects.toMatchObject({ code: 'deleted' });
    expect(await repo.list()).toEqual([]);
  });

  it('attack: un-deleting a tombstone by flipping the plain flag fails to decrypt', async () => {
    const { table, repo } = messagesRepo();
    await repo.put('m1', msg('m1', 'gone'));
    await repo.delete('m1');
    const row = table.rows.get('m1');
    if (!row) throw new Error('missing row');
    table.rows.set('m1', { ...row, deleted: 0 });
    expect(await repo.list()).toMatchObject([
      { ok: false, id: 'm1', error: { code: 'decrypt-failed' } },
    ]);
  });

  it('reports a locked vault as a coded error', async () => {
    const { repo } = messagesRepo(() => {
      throw new Error('locked');
    });
    await expect(repo.put('m1', msg('m1', 'x'))).rejects.toMatchObject({ code: 'locked' });
    await expect(repo.get('m1')).rejects.toMatchObject({ code: 'locked' });
  });

  it('works the same over the real Dexie schema (fake-indexeddb)', async () => {
    const db = openNookDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const repo = createRecordRepo<Message>(
      createDexieRecordTable(db.messages),
      'messages',
      () => vault,
      {
        index: (m) => ({ conversationId: m.conversationId, createdAt: m.createdAt }),
      },
    );
    await repo.put('m1', msg('m1', 'in indexeddb', 5));
    await repo.put('m2', { ...msg('m2', 'elsewhere', 6), conversationId: 'c9' });
    const listed = await repo.list({ kind: 'equals', index: 'conversationId', value: 'c1' });
    expect(listed).toMatchObject([{ ok: true, id: 'm1', value: { content: 'in indexeddb' } }]);
    const raw = await db.messages.get('m1');
    expect(raw?.env).toBeInstanceOf(Uint8Array);
    db.close();
  });
});
