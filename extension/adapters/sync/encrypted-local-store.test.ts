import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Dexie, type Table } from 'dexie';
import { describe, expect, it } from 'vitest';
import type { OutboxOp } from '../../core/sync/ports';
import { createFakeRelay } from '../../core/sync/fake-relay';
import { createTestDevice, fakeSyncKeys } from '../../core/sync/sync-test-kit';
import { createDexieSyncBackend } from './dexie-sync-backend';
import {
  createEncryptedLocalStore,
  createMemorySyncBackend,
  syncRowKey,
  type SyncRow,
  type SyncRowBackend,
} from './encrypted-local-store';

const CANARY = 'CANARY-91c2';

function contains(bytes: unknown, needle: string): boolean {
  return JSON.stringify(bytes, (_k, v: unknown) =>
    v instanceof Uint8Array ? new TextDecoder('latin1').decode(v) : v,
  ).includes(needle);
}

async function syncPair(backend: SyncRowBackend) {
  const relay = createFakeRelay();
  const keys = fakeSyncKeys();
  const a = createTestDevice(relay, keys, 'A', {
    store: createEncryptedLocalStore(backend, keys),
  });
  const b = createTestDevice(relay, keys, 'B');
  await a.engine.setFields('conversations', 'c1', { title: CANARY });
  await a.engine.setBody('memory', 'k1', `${CANARY} memory`);
  await a.engine.sync();
  await b.engine.sync();
  await b.engine.setFields('conversations', 'c1', { model: 'from B' });
  await b.engine.sync();
  await a.engine.sync();
  return { a, b, keys };
}

describe('encrypted local sync store', () => {
  it('syncs like the in-memory store and keeps no plaintext at rest', async () => {
    const backend = createMemorySyncBackend();
    const { a } = await syncPair(backend);
    expect(await a.engine.read('conversations', 'c1')).toMatchObject({
      id: 'c1',
      value: { title: CANARY, model: 'from B' },
    });
    expect(backend.rows.size).toBe(2);
    expect(contains([...backend.rows.values()], CANARY)).toBe(false);
  });

  it('attack: a row ciphertext moved to another row is refused', async () => {
    const backend = createMemorySyncBackend();
    const { a } = await syncPair(backend);
    const conv = backend.rows.get(syncRowKey('conversations', 'c1'))!;
    const mem = backend.rows.get(syncRowKey('memory', 'k1'))!;
    backend.rows.set(mem.key, { ...mem, env: conv.env! });
    await expect(a.engine.list('memory')).rejects.toMatchObject({ code: 'bad-record' });
  });

  it('attack: a remembered document is only reused for the exact row it was sealed for', async () => {
    const backend = createMemorySyncBackend();
    const { a } = await syncPair(backend);
    // A local edit: sealed locally, under its local version (relay copies: see -relay.test).
    await a.engine.setFields('conversations', 'c1', { model: 'local edit' });
    // Read back (remembered), then the stored row is moved to another local version.
    expect(await a.engine.read('conversations', 'c1')).toBeDefined();
    const row = backend.rows.get(syncRowKey('conversations', 'c1'))!;
    expect(row.sealed).toBeUndefined();
    backend.rows.set(row.key, { ...row, localVersion: row.localVersion + 1 });
    await expect(a.engine.read('conversations', 'c1')).rejects.toMatchObject({
      code: 'bad-record',
    });
    // Flipping one ciphertext byte of the remembered row fails as well.
    const env = row.env!.slice();
    env[env.length - 1] = (env[env.length - 1] ?? 0) ^ 1;
    backend.rows.set(row.key, { ...row, env });
    await expect(a.engine.read('conversations', 'c1')).rejects.toMatchObject({
      code: 'bad-record',
    });
  });

  it('works over Dexie (fake-indexeddb) in one transaction per commit', async () => {
    const db = new Dexie(`sync-test-${Math.random()}`, {
      indexedDB: new IDBFactory(),
      IDBKeyRange,
    });
    db.version(1).stores({
      meta: 'key',
      sync_records: 'key, collection, dirty',
      sync_outbox: 'opId',
    });
    const tables = {
      records: db.table('sync_records') as Table<SyncRow, string>,
      outbox: db.table('sync_outbox') as Table<OutboxOp, string>,
      meta: db.table('meta') as Table<{ key: string; value: unknown }, string>,
    };
    const backend = createDexieSyncBackend(db, tables);
    const { a } = await syncPair(backend);
    expect(await a.engine.read('conversations', 'c1')).toMatchObject({
      value: { title: CANARY, model: 'from B' },
    });
    expect(await tables.outbox.count()).toBe(0);
    expect((await backend.getState())?.cursor).toBeGreaterThan(0);
    expect(contains(await tables.records.toArray(), CANARY)).toBe(false);
    await a.engine.setBody('memory', 'k2', 'pending');
    await a.engine.setBody('memory', 'k3', 'pending too');
    expect((await backend.listRows({ dirty: true })).map((r) => r.id)).toEqual(['k2', 'k3']);
    expect((await backend.listRows({ dirty: true, limit: 1 })).map((r) => r.id)).toEqual(['k2']);
    db.close();
  });

  it('lists seen versions without opening a single envelope', async () => {
    const backend = createMemorySyncBackend();
    const { keys } = await syncPair(backend);
    // A store whose keys are gone can still list what it has seen.
    const keyless = createEncryptedLocalStore(backend, {
      vaultId: keys.vaultId,
      collectionKey: () => undefined,
    });
    const seen = await keyless.listSeen();
    expect(seen.map((s) => `${s.collection}/${s.id}`).sort()).toEqual([
      'conversations/c1',
      'memory/k1',
    ]);
    expect(seen.every((s) => s.seen !== undefined && s.seen.hash.length === 64)).toBe(true);
    await expect(keyless.listRecords()).rejects.toMatchObject({ code: 'bad-record' });
  });
});
