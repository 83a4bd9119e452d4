/** Rows kept as the relay's envelope (`sealed: 'relay'`): a first sync seals nothing again. */
import { describe, expect, it } from 'vitest';
import { createFakeRelay, fakeKey } from '../../core/sync/fake-relay';
import { createTestDevice, fakeSyncKeys } from '../../core/sync/sync-test-kit';
import {
  createEncryptedLocalStore,
  createMemorySyncBackend,
  syncRowKey,
} from './encrypted-local-store';

const CANARY = 'CANARY-5e07';

/** Device A writes; device B (the encrypted store under test) links and pulls everything. */
async function firstSync() {
  const relay = createFakeRelay();
  const keys = fakeSyncKeys();
  const a = createTestDevice(relay, keys, 'A');
  await a.engine.setFields('conversations', 'c1', { title: CANARY });
  await a.engine.setFields('conversations', 'c2', { title: 'second' });
  await a.engine.setBody('messages', 'm1', `${CANARY} message`);
  await a.engine.setBody('memory', 'k1', 'a fact');
  await a.engine.sync();
  const backend = createMemorySyncBackend();
  const device = (name: string) =>
    createTestDevice(relay, keys, name, { store: createEncryptedLocalStore(backend, keys) });
  const b = device('B');
  expect(await backend.isEmpty()).toBe(true);
  await b.engine.sync();
  return { relay, keys, a, b, backend, device };
}

describe('encrypted local store: relay-sealed rows', () => {
  it('a first sync keeps exactly the relay envelope bytes, sealing nothing again', async () => {
    const { relay, backend } = await firstSync();
    expect(backend.rows.size).toBe(4);
    expect(await backend.isEmpty()).toBe(false);
    for (const row of backend.rows.values()) {
      const served = relay.state.records.get(fakeKey(row.collection, row.id))!;
      expect(row).toMatchObject({ sealed: 'relay', dirty: 0, deleted: 0 });
      expect(row.seen?.revision).toBe(served.revision);
      expect(row.env).toEqual(served.envelope);
    }
    // The relay's ciphertext: still no plaintext at rest.
    const bytes = [...backend.rows.values()].map((r) => Buffer.from(r.env!).toString('latin1'));
    expect(bytes.join('')).not.toContain(CANARY);
  });

  it('reads relay-sealed rows back in a new store instance (nothing remembered)', async () => {
    const { device } = await firstSync();
    const fresh = device('B2');
    expect(await fresh.engine.read('conversations', 'c1')).toMatchObject({
      id: 'c1',
      value: { title: CANARY },
    });
    expect(await fresh.engine.read('messages', 'm1')).toMatchObject({
      value: `${CANARY} message`,
    });
    expect((await fresh.engine.list('conversations')).map((c) => c.id).sort()).toEqual([
      'c1',
      'c2',
    ]);
  });

  it('attack: a tampered relay-sealed row is refused', async () => {
    const { backend, device } = await firstSync();
    const row = backend.rows.get(syncRowKey('conversations', 'c1'))!;
    const env = row.env!.slice();
    env[env.length - 1] = (env[env.length - 1] ?? 0) ^ 1;
    backend.rows.set(row.key, { ...row, env });
    await expect(device('B2').engine.read('conversations', 'c1')).rejects.toMatchObject({
      name: 'SyncError',
      code: 'bad-record',
    });
  });

  it('attack: a relay envelope swapped into another row is refused, even a cached one', async () => {
    const { backend, b } = await firstSync();
    const c1 = backend.rows.get(syncRowKey('conversations', 'c1'))!;
    const c2 = backend.rows.get(syncRowKey('conversations', 'c2'))!;
    // c1's envelope (and seen) under c2's row: sealed for another record id.
    backend.rows.set(c2.key, { ...c2, env: c1.env!, seen: c1.seen! });
    await expect(b.engine.read('conversations', 'c2')).rejects.toMatchObject({
      code: 'bad-record',
    });
  });

  it('attack: a relay-sealed row moved to another revision or marked local is refused', async () => {
    const { backend, b, device } = await firstSync();
    const row = backend.rows.get(syncRowKey('messages', 'm1'))!;
    expect(await b.engine.read('messages', 'm1')).toBeDefined();
    backend.rows.set(row.key, { ...row, seen: { ...row.seen!, revision: row.seen!.revision + 1 } });
    await expect(b.engine.read('messages', 'm1')).rejects.toMatchObject({ code: 'bad-record' });
    const local = { ...row };
    delete local.sealed;
    backend.rows.set(row.key, local);
    await expect(device('B2').engine.read('messages', 'm1')).rejects.toMatchObject({
      code: 'bad-record',
    });
    backend.rows.set(row.key, { ...row, seen: undefined });
    await expect(device('B3').engine.read('messages', 'm1')).rejects.toMatchObject({
      code: 'bad-record',
    });
  });

  it('a local edit afterwards seals locally again, and syncs back', async () => {
    const { backend, b, a, relay, device } = await firstSync();
    const before = backend.rows.get(syncRowKey('conversations', 'c1'))!;
    await b.engine.setFields('conversations', 'c1', { model: 'edited on B' });
    const edited = backend.rows.get(syncRowKey('conversations', 'c1'))!;
    expect(edited.sealed).toBeUndefined();
    expect(edited).toMatchObject({ dirty: 1, localVersion: before.localVersion + 1 });
    expect(edited.env).not.toEqual(before.env);
    const expected = { id: 'c1', value: { title: CANARY, model: 'edited on B' } };
    expect(await device('B2').engine.read('conversations', 'c1')).toMatchObject(expected);
    // Pushed and acknowledged: the row stays sealed locally (the relay copy was not pulled).
    await b.engine.sync();
    const pushed = backend.rows.get(syncRowKey('conversations', 'c1'))!;
    expect(pushed).toMatchObject({ dirty: 0 });
    expect(pushed.seen?.revision).toBe(
      relay.state.records.get(fakeKey('conversations', 'c1'))!.revision,
    );
    expect(await device('B3').engine.read('conversations', 'c1')).toMatchObject(expected);
    await a.engine.sync();
    expect(await a.engine.read('conversations', 'c1')).toMatchObject(expected);
    // A's next edit comes back to B as a clean copy: kept as the relay's envelope again.
    await a.engine.setFields('conversations', 'c1', { title: 'renamed on A' });
    await a.engine.sync();
    await b.engine.sync();
    const again = backend.rows.get(syncRowKey('conversations', 'c1'))!;
    expect(again.sealed).toBe('relay');
    expect(again.env).toEqual(relay.state.records.get(fakeKey('conversations', 'c1'))!.envelope);
    expect(await device('B4').engine.read('conversations', 'c1')).toMatchObject({
      id: 'c1',
      value: { title: 'renamed on A', model: 'edited on B' },
    });
  });

  it('a deleted record keeps no envelope', async () => {
    const { backend, a, b } = await firstSync();
    await a.engine.remove('memory', 'k1');
    await a.engine.sync();
    await b.engine.sync();
    const row = backend.rows.get(syncRowKey('memory', 'k1'))!;
    expect(row).toMatchObject({ deleted: 1 });
    expect(row.env).toBeUndefined();
    expect(row.sealed).toBeUndefined();
  });
});
