/**
 * Integration: the sync engine + fetch client + WebSocket socket against the REAL relay app
 * (relay/app.ts on a temporary SQLite file, listening on 127.0.0.1, port 0).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_KDF } from '../../../shared/crypto';
import type { KdfParams } from '../../../shared/protocol';
import { makeApp } from '../../../relay/test-helpers';
import { isSyncError } from '../../core/sync/errors';
import { createMemoryLocalStore } from '../../core/sync/memory-local-store';
import type { SyncKeys } from '../../core/sync/ports';
import { createSyncEngine } from '../../core/sync/sync-engine';
import { fakeSyncKeys } from '../../core/sync/sync-test-kit';
import { createMemorySessionStore, createRelayClient } from './relay-client';
import { createWebSocketRelaySocket, type WebSocketLike } from './relay-socket';

const hex = () => randomBytes(16).toString('hex');
const b64 = (n: number) => randomBytes(n).toString('base64');

let relay: Awaited<ReturnType<typeof makeApp>>;
let baseUrl: string;

beforeAll(async () => {
  relay = await makeApp();
  baseUrl = await relay.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await relay.cleanup();
});

async function account(kdf: KdfParams = DEFAULT_KDF) {
  const accountId = hex();
  const authKey = b64(32);
  const salt = b64(16);
  const c = createRelayClient({ baseUrl, sessions: createMemorySessionStore() });
  await c.createAccount({ accountId, authKey, kdf, salt, wrappedAccountKey: b64(60) });
  return { accountId, authKey, salt, pinned: { kdf: DEFAULT_KDF, salt } };
}

async function device(acc: Awaited<ReturnType<typeof account>>, keys: SyncKeys, name: string) {
  const client = createRelayClient({
    baseUrl,
    sessions: createMemorySessionStore(),
    // Treat every access token as about to expire: each request rotates the refresh token.
    refreshSkewMs: 10 ** 9,
  });
  await client.prelogin(acc.accountId, acc.pinned);
  await client.login(
    { accountId: acc.accountId, authKey: acc.authKey, device: { id: hex(), name } },
    acc.pinned,
  );
  const socket = createWebSocketRelaySocket({
    url: client.wsUrl,
    getToken: () => client.accessToken(),
    WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike,
    backoff: { baseMs: 20, maxMs: 200 },
  });
  const engine = createSyncEngine({
    transport: client.transport,
    store: createMemoryLocalStore(),
    keys,
    device: name,
    socket,
    sleep: () => new Promise((r) => setTimeout(r, 10)),
  });
  return { client, socket, engine };
}

/** Waits (bounded by the test timeout, not asserted on time) until `check` holds. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

describe('sync against the real relay', () => {
  it('two devices sync through push, WebSocket notify and pull, with token rotation', async () => {
    const acc = await account();
    const keys = fakeSyncKeys();
    const a = await device(acc, keys, 'A');
    const b = await device(acc, keys, 'B');
    b.engine.start();
    await eventually(async () => b.socket.status === 'online');

    await a.engine.setFields('conversations', 'c1', { title: 'from A' });
    await a.engine.setBody('messages', 'm1', { role: 'user', text: 'hi' });
    await a.engine.setBody('memory', 'k1', 'likes tea');
    expect((await a.engine.sync()).pushed).toBe(3);

    await eventually(async () => (await b.engine.read('memory', 'k1')) !== undefined);
    expect(await b.engine.read('conversations', 'c1')).toMatchObject({
      id: 'c1',
      value: { title: 'from A' },
    });

    await b.engine.remove('memory', 'k1');
    await b.engine.idle();
    await a.engine.sync();
    expect(await a.engine.read('memory', 'k1')).toBeUndefined();

    // A third device verifies the manifest signed by the others and converges.
    const c = await device(acc, keys, 'C');
    await c.engine.sync();
    expect(await c.engine.list('messages')).toHaveLength(1);
    expect(await c.engine.read('memory', 'k1')).toBeUndefined();

    expect(await a.engine.status()).toMatchObject({ pending: 0, lastSyncedAt: expect.any(Number) });
    const { devices } = await a.client.devices();
    expect(devices).toHaveLength(3);
    expect(devices.every((d) => d.lastSyncedAt !== null)).toBe(true);

    b.engine.stop();
    for (const d of [a, b, c]) d.socket.close();
  });

  it('a record moved into another account on the relay is refused', async () => {
    const acc1 = await account();
    const acc2 = await account();
    const victim = await device(acc1, fakeSyncKeys(), 'V');
    const other = await device(acc2, fakeSyncKeys(), 'O');
    await other.engine.setFields('settings', 's1', { theme: 'planted' });
    await other.engine.sync();
    // The relay's database is hostile: copy account 2's row into account 1.
    const db = relay.app.relay.store;
    const dump = await db.exportAccount(acc2.accountId);
    const row = dump!.records[0]!;
    await db.push(acc1.accountId, [
      {
        opId: hex(),
        collection: row.collection,
        id: row.id,
        baseRevision: 0,
        revision: row.revision,
        deleted: false,
        envelope: row.envelope!,
      },
    ]);
    await expect(victim.engine.sync()).rejects.toSatisfy((e: unknown) =>
      isSyncError(e, 'record-swap'),
    );
    for (const d of [victim, other]) d.socket.close();
  });

  it('refuses a relay that offers weaker KDF parameters than pinned', async () => {
    const acc = await account({ alg: 'argon2id', memoryKiB: 8192, iterations: 1, parallelism: 1 });
    const client = createRelayClient({ baseUrl, sessions: createMemorySessionStore() });
    await expect(client.prelogin(acc.accountId, acc.pinned)).rejects.toSatisfy((e: unknown) =>
      isSyncError(e, 'kdf-downgrade'),
    );
  });
});
