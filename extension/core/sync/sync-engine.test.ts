import { describe, expect, it } from 'vitest';
import { isRelayError } from './errors';
import { createFakeRelay } from './fake-relay';
import { createTestDevice, fakeSyncKeys, snapshotDevice } from './sync-test-kit';
import { wireOp } from './sync-push';

function setup() {
  const relay = createFakeRelay();
  const keys = fakeSyncKeys();
  const a = createTestDevice(relay, keys, 'A');
  const b = createTestDevice(relay, keys, 'B');
  return { relay, keys, a, b };
}

describe('sync engine', () => {
  it('moves a conversation, a message and a memory from one device to another', async () => {
    const { a, b, relay } = setup();
    await a.engine.setFields('conversations', 'c1', { title: 'Trip', model: 'gpt' });
    await a.engine.setBody('messages', 'm1', { role: 'user', text: 'hello' });
    await a.engine.setBody('memory', 'k1', 'likes tea');
    const report = await a.engine.sync();
    expect(report.pushed).toBe(3);
    expect(relay.state.seq).toBe(3);
    await b.engine.sync();
    expect(await b.engine.read('conversations', 'c1')).toMatchObject({
      id: 'c1',
      value: { title: 'Trip', model: 'gpt' },
    });
    expect(await snapshotDevice(b)).toEqual(await snapshotDevice(a));
  });

  it('the relay only ever holds ciphertext', async () => {
    const { a, relay } = setup();
    await a.engine.setFields('conversations', 'c1', { title: 'CANARY-7f3a' });
    await a.engine.sync();
    const stored = [...relay.state.records.values()];
    expect(stored).toHaveLength(1);
    const text = new TextDecoder('latin1').decode(stored[0]!.envelope!);
    expect(text).not.toContain('CANARY');
    expect(atob(relay.state.manifest!.blob)).not.toContain('CANARY');
  });

  it('merges concurrent field edits last-writer-wins per field', async () => {
    const { a, b } = setup();
    await a.engine.setFields('conversations', 'c1', { title: 'one', model: 'x' });
    await a.engine.sync();
    await b.engine.sync();
    await a.engine.setFields('conversations', 'c1', { title: 'from A' });
    await b.engine.setFields('conversations', 'c1', { model: 'from B' });
    await a.engine.sync();
    await b.engine.sync();
    await a.engine.sync();
    const expected = { id: 'c1', value: { title: 'from A', model: 'from B' } };
    const onA = await a.engine.read('conversations', 'c1');
    expect(onA).toMatchObject(expected);
    expect(await b.engine.read('conversations', 'c1')).toEqual(onA);
    // Each field reports the stamp of the write that won it.
    expect(onA?.stamps?.['title']).toMatch(/-A$/);
    expect(onA?.stamps?.['model']).toMatch(/-B$/);
  });

  it('keeps both versions of a memory edited on two devices', async () => {
    const { a, b } = setup();
    await a.engine.setBody('memory', 'k1', 'v0');
    await a.engine.sync();
    await b.engine.sync();
    await a.engine.setBody('memory', 'k1', 'edit on A');
    await b.engine.setBody('memory', 'k1', 'edit on B');
    await a.engine.sync();
    await b.engine.sync();
    await a.engine.sync();
    const mem = await a.engine.list('memory');
    expect(mem.map((m) => m.value).sort()).toEqual(['edit on A', 'edit on B']);
    expect(mem.filter((m) => m.conflictOf === 'k1')).toHaveLength(1);
    expect(b.conflicts).toEqual([
      expect.objectContaining({ kind: 'concurrent-edit', collection: 'memory', id: 'k1' }),
    ]);
    expect(await snapshotDevice(b)).toEqual(await snapshotDevice(a));
  });

  it('keeps the first version of a message written twice and reports it', async () => {
    const { a, b } = setup();
    await a.engine.setBody('messages', 'm1', 'first');
    await b.engine.setBody('messages', 'm1', 'second');
    await b.engine.sync();
    await a.engine.sync();
    await b.engine.sync();
    expect((await a.engine.read('messages', 'm1'))?.value).toBe('first');
    expect((await b.engine.read('messages', 'm1'))?.value).toBe('first');
    expect([...a.conflicts, ...b.conflicts].map((c) => c.kind)).toContain('immutable-rewrite');
  });

  it('refuses to rewrite a message locally', async () => {
    const { a } = setup();
    await a.engine.setBody('messages', 'm1', 'first');
    await expect(a.engine.setBody('messages', 'm1', 'changed')).rejects.toMatchObject({
      code: 'invalid-write',
    });
  });

  it('a delete wins over a concurrent edit and stays deleted', async () => {
    const { a, b } = setup();
    await a.engine.setFields('conversations', 'c1', { title: 't' });
    await a.engine.sync();
    await b.engine.sync();
    await a.engine.remove('conversations', 'c1');
    await b.engine.setFields('conversations', 'c1', { title: 'later edit' });
    await a.engine.sync();
    await b.engine.sync();
    await a.engine.sync();
    expect(await a.engine.read('conversations', 'c1')).toBeUndefined();
    expect(await b.engine.read('conversations', 'c1')).toBeUndefined();
    expect(b.conflicts.map((c) => c.kind)).toEqual(['edit-lost-to-delete']);
  });

  it('queues offline writes and sends them when the relay is back', async () => {
    const { a, b, relay } = setup();
    relay.faults.down = true;
    await a.engine.setFields('conversations', 'c1', { title: 'offline' });
    await expect(a.engine.sync()).rejects.toSatisfy((e: unknown) => isRelayError(e, 'network'));
    relay.faults.down = false;
    await a.engine.sync();
    await b.engine.sync();
    expect((await b.engine.read('conversations', 'c1'))?.value).toEqual({ title: 'offline' });
  });

  it('relay down mid-sync: retries with backoff and loses nothing', async () => {
    const relay = createFakeRelay();
    const keys = fakeSyncKeys();
    const delays: number[] = [];
    const a = createTestDevice(relay, keys, 'A', {
      sleep: async (ms) => {
        delays.push(ms);
      },
      maxAttempts: 10,
    });
    for (let i = 0; i < 5; i++) await a.engine.setBody('memory', `k${i}`, `note ${i}`);
    // The first push is applied but its reply is lost, then the relay restarts (two 503s).
    relay.faults.loseReplies = 1;
    const origPull = relay.transport.pull;
    let pulls = 0;
    relay.transport.pull = async (since, limit) => {
      pulls += 1;
      if (pulls === 2) relay.faults.failNext = 2;
      return origPull(since, limit);
    };
    await a.engine.sync();
    expect(delays).toHaveLength(3);
    // Exponential: each delay (equal jitter at 0.5) is larger than the one before.
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThan(delays[i - 1]!);
    expect(relay.state.records.size).toBe(5);
    // Replayed op ids were not applied twice: one seq per record.
    expect(relay.state.seq).toBe(5);
    expect(a.store.outbox.size).toBe(0);
    const b = createTestDevice(relay, keys, 'B');
    await b.engine.sync();
    expect((await b.engine.list('memory')).map((m) => m.value).sort()).toEqual([
      'note 0',
      'note 1',
      'note 2',
      'note 3',
      'note 4',
    ]);
  });

  it('gives up after maxAttempts with the relay error, keeping the queue', async () => {
    const relay = createFakeRelay();
    const a = createTestDevice(relay, fakeSyncKeys(), 'A', { maxAttempts: 3 });
    await a.engine.setFields('settings', 's', { theme: 'dark' });
    relay.faults.down = true;
    await expect(a.engine.sync()).rejects.toMatchObject({ code: 'network' });
    expect(relay.calls).toBe(3);
    expect((await a.store.listDirty()).map((r) => r.id)).toEqual(['s']);
  });

  it('pulls in pages', async () => {
    const relay = createFakeRelay();
    const keys = fakeSyncKeys();
    const a = createTestDevice(relay, keys, 'A');
    const b = createTestDevice(relay, keys, 'B', { pullLimit: 3 });
    for (let i = 0; i < 10; i++) await a.engine.setBody('messages', `m${i}`, i);
    await a.engine.sync();
    const r = await b.engine.sync();
    expect(r.pulled).toBe(10);
    expect(await b.engine.list('messages')).toHaveLength(10);
  });

  it('WebSocket notify triggers a pull in the background', async () => {
    const relay = createFakeRelay();
    const keys = fakeSyncKeys();
    const a = createTestDevice(relay, keys, 'A');
    const socket = relay.socket();
    const b = createTestDevice(relay, keys, 'B', { socket });
    b.engine.start();
    await b.engine.idle();
    await a.engine.setFields('conversations', 'c1', { title: 'pushed' });
    await a.engine.sync(); // the fake relay notifies every socket
    await b.engine.idle();
    expect((await b.engine.read('conversations', 'c1'))?.value).toEqual({ title: 'pushed' });
    b.engine.stop();
  });

  it('a relay restart (socket back online) flushes writes made while it was down', async () => {
    const relay = createFakeRelay();
    const keys = fakeSyncKeys();
    const socket = relay.socket();
    const errors: unknown[] = [];
    const a = createTestDevice(relay, keys, 'A', {
      socket,
      maxAttempts: 2,
      onError: (e) => errors.push(e),
    });
    a.engine.start();
    await a.engine.idle();
    relay.faults.down = true;
    socket.setStatus('offline');
    await a.engine.setFields('conversations', 'c1', { title: 'while down' });
    await a.engine.idle();
    expect(errors.length).toBeGreaterThan(0);
    relay.faults.down = false;
    socket.setStatus('online');
    await a.engine.idle();
    expect(relay.state.records.size).toBe(1);
    a.engine.stop();
  });

  it('a local write during a slow push is neither blocked nor lost', async () => {
    const relay = createFakeRelay();
    const keys = fakeSyncKeys();
    const ref: { a?: ReturnType<typeof createTestDevice> } = {};
    let wrote = false;
    const a = createTestDevice(relay, keys, 'A', {
      transport: {
        ...relay.transport,
        async push(body) {
          if (!wrote) {
            wrote = true;
            // Would deadlock if a pass held the store lock across the network call.
            await ref.a!.engine.setFields('conversations', 'c1', { title: 'typed during push' });
          }
          return relay.transport.push(body);
        },
      },
    });
    ref.a = a;
    await a.engine.setFields('conversations', 'c1', { title: 'before' });
    await a.engine.sync();
    expect(await a.store.listDirty()).toEqual([]);
    const b = createTestDevice(relay, keys, 'B');
    await b.engine.sync();
    expect((await b.engine.read('conversations', 'c1'))?.value).toEqual({
      title: 'typed during push',
    });
  });

  it('survives a restart with an op in flight: the same op id is replayed, not duplicated', async () => {
    const relay = createFakeRelay();
    const keys = fakeSyncKeys();
    const first = createTestDevice(relay, keys, 'A', { maxAttempts: 1 });
    await first.engine.setBody('messages', 'm1', 'hello');
    relay.faults.loseReplies = 1;
    await expect(first.engine.sync()).rejects.toMatchObject({ code: 'network' });
    expect(first.store.outbox.size).toBe(1);
    const seqAfterApply = relay.state.seq;
    // "Browser restart": a new engine over the same persisted store, skipping the pull
    // that would otherwise acknowledge the op, so the replay path is exercised.
    const restarted = createTestDevice(relay, keys, 'A');
    for (const [k, v] of first.store.records) restarted.store.records.set(k, v);
    for (const [k, v] of first.store.outbox) restarted.store.outbox.set(k, v);
    const reply = await relay.transport.push({
      ops: [...restarted.store.outbox.values()].map(wireOp),
    });
    expect(reply.results[0]).toMatchObject({ status: 'applied', revision: 1 });
    expect(relay.state.seq).toBe(seqAfterApply);
    await restarted.engine.sync();
    expect(restarted.store.outbox.size).toBe(0);
    expect(relay.state.seq).toBe(seqAfterApply);
    expect(await restarted.store.listDirty()).toEqual([]);
  });

  it('skips (does not fail on) a manifest larger than the relay accepts', async () => {
    const relay = createFakeRelay();
    const a = createTestDevice(relay, fakeSyncKeys(), 'A', { maxManifestBytes: 64 });
    await a.engine.setFields('settings', 's', { theme: 'dark' });
    const report = await a.engine.sync();
    expect(report.pushed).toBe(1);
    expect(relay.state.manifest).toBeUndefined();
  });
});
