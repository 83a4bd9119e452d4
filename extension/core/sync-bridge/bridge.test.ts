import { describe, expect, it } from 'vitest';
import { RelayError } from '../sync/errors';
import { createTestDevice, fakeSyncKeys } from '../sync/sync-test-kit';
import { createSyncBridge, MIRROR_BATCH, WRITE_BATCH } from './bridge';
import { setupBridges as setup } from './bridge-test-kit';
import { createMemoryBridgeCollection, createMemoryMarkStore } from './memory-bridge-collection';
import { BRIDGE_POLICIES } from './collections';

describe('sync bridge', () => {
  it('a conversation written on A appears on B', async () => {
    const { a, b } = setup();
    await a.conversations.write('c1', { id: 'c1', title: 'Trip', createdAt: 1 });
    await a.messages.write('m1', { id: 'm1', conversationId: 'c1', content: 'hello' });
    expect((await a.bridge.run()).mirroredOut).toBe(2);
    await b.bridge.run();
    expect(b.conversations.values()).toEqual({ c1: { id: 'c1', title: 'Trip', createdAt: 1 } });
    expect(b.messages.values()).toEqual({
      m1: { id: 'm1', conversationId: 'c1', content: 'hello' },
    });
  });

  it('applied remote values are not echoed back as local changes', async () => {
    const { a, b } = setup();
    await a.conversations.write('c1', { id: 'c1', title: 'Trip' });
    await a.bridge.run();
    await b.bridge.run();
    const again = await b.bridge.run();
    expect(again).toMatchObject({ mirroredOut: 0, appliedIn: 0 });
    expect(await b.store.listDirty()).toEqual([]);
  });

  it('a rename and a delete propagate both ways', async () => {
    const { a, b } = setup();
    await a.conversations.write('c1', { id: 'c1', title: 'Trip' });
    await a.conversations.write('c2', { id: 'c2', title: 'Work' });
    await a.bridge.run();
    await b.bridge.run();

    await b.conversations.write('c1', { id: 'c1', title: 'Trip to Oslo' });
    await b.bridge.run();
    await a.bridge.run();
    expect(a.conversations.values()['c1']).toEqual({ id: 'c1', title: 'Trip to Oslo' });

    await a.conversations.remove('c2');
    await a.bridge.run();
    await b.bridge.run();
    expect(Object.keys(b.conversations.values())).toEqual(['c1']);

    await b.conversations.remove('c1');
    await b.bridge.run();
    await a.bridge.run();
    expect(a.conversations.values()).toEqual({});
  });

  it('concurrent edits of different fields both survive (field-level LWW)', async () => {
    const { a, b } = setup();
    await a.conversations.write('c1', { id: 'c1', title: 'Trip', pinned: false });
    await a.bridge.run();
    await b.bridge.run();
    await a.conversations.write('c1', { id: 'c1', title: 'Trip to Oslo', pinned: false });
    await b.conversations.write('c1', { id: 'c1', title: 'Trip', pinned: true });
    await a.bridge.run();
    await b.bridge.run();
    await a.bridge.run();
    const expected = { id: 'c1', title: 'Trip to Oslo', pinned: true };
    expect(a.conversations.values()['c1']).toEqual(expected);
    expect(b.conversations.values()['c1']).toEqual(expected);
  });

  it('a local edit made during a pass is not overwritten by the remote value', async () => {
    const { a, b } = setup();
    await a.conversations.write('c1', { id: 'c1', title: 'one' });
    await a.bridge.run();
    await b.bridge.run();
    await a.conversations.write('c1', { id: 'c1', title: 'two' });
    await a.bridge.run();
    // B edits locally before it pulls: its unmirrored edit must not be clobbered.
    await b.conversations.write('c1', { id: 'c1', title: 'three' });
    await b.bridge.applyRemote();
    expect(b.conversations.values()['c1']).toEqual({ id: 'c1', title: 'three' });
  });

  it('a removed optional field is cleared on the other device', async () => {
    const { a, b } = setup();
    await a.conversations.write('c1', { id: 'c1', title: 'x', model: 'm' });
    await a.bridge.run();
    await b.bridge.run();
    await a.conversations.write('c1', { id: 'c1', title: 'x' });
    await a.bridge.run();
    await b.bridge.run();
    expect(b.conversations.values()['c1']).toEqual({ id: 'c1', title: 'x' });
  });

  it('attack: a record that cannot be decrypted locally is never uploaded', async () => {
    const { relay, a } = setup();
    await a.conversations.write('c1', { id: 'c1', title: 'fine' });
    await a.conversations.write('c2', { id: 'c2', title: 'damaged' });
    a.conversations.damaged.add('c2');
    const report = await a.bridge.run();
    expect(report).toMatchObject({ mirroredOut: 1, skipped: 1 });
    expect([...relay.state.records.values()].map((r) => r.id)).toEqual(['c1']);
  });

  it('concurrent memory edits on two devices keep both texts', async () => {
    const { a, b } = setup();
    const fact = { id: 'f1', text: 'Prefers tea', createdAt: 1, updatedAt: 1, source: 'user' };
    await a.memory.write('f1', fact);
    await a.bridge.run();
    await b.bridge.run();
    await a.memory.write('f1', { ...fact, text: 'Prefers green tea', updatedAt: 2 });
    await b.memory.write('f1', { ...fact, text: 'Prefers coffee', updatedAt: 3 });
    await a.bridge.run();
    await b.bridge.run();
    await a.bridge.run();
    const texts = (values: Record<string, unknown>) =>
      Object.values(values)
        .map((v) => (v as { text: string }).text)
        .sort();
    expect(texts(a.memory.values())).toEqual(['Prefers coffee', 'Prefers green tea']);
    expect(a.memory.values()).toEqual(b.memory.values());
    // The copy is a record of its own, whose value carries its own id.
    for (const [id, v] of Object.entries(a.memory.values()))
      expect((v as { id: string }).id).toBe(id);
  });

  it('a pass cut by a relay failure still applies what it pulled', async () => {
    const { relay, device, a } = setup();
    let pushDown = false;
    const c = device('C', {
      ...relay.transport,
      push: (body) =>
        pushDown ? Promise.reject(new RelayError('network', 'down')) : relay.transport.push(body),
    });
    await a.conversations.write('c1', { id: 'c1', title: 'Trip' });
    await a.bridge.run();
    await c.bridge.run();
    await a.conversations.write('c1', { id: 'c1', title: 'Trip to Oslo' });
    await a.bridge.run();
    // C pulls A's rename, then its own push fails on every retry.
    await c.conversations.write('c2', { id: 'c2', title: 'Work' });
    pushDown = true;
    await expect(c.bridge.run()).rejects.toMatchObject({ code: 'network' });
    expect(c.conversations.values()['c1']).toEqual({ id: 'c1', title: 'Trip to Oslo' });
    // Back online: nothing was lost, the local record goes up.
    pushDown = false;
    await c.bridge.run();
    await a.bridge.run();
    expect(a.conversations.values()['c2']).toEqual({ id: 'c2', title: 'Work' });
  });

  it('a first sync writes relay values in batches, and marks them so they are not echoed', async () => {
    const { a, b } = setup();
    const n = 2 * WRITE_BATCH + 1;
    for (let i = 0; i < n; i++) await a.messages.write(`m${i}`, { id: `m${i}`, text: `t${i}` });
    await a.bridge.run();
    expect((await b.bridge.run()).appliedIn).toBe(n);
    // Written as pulled pages arrive (a small first page, then full ones), never more than
    // WRITE_BATCH per transaction.
    const firstSync = [...b.messages.writes];
    expect(firstSync.reduce((a, n) => a + n, 0)).toBe(n);
    expect(Math.max(...firstSync)).toBeLessThanOrEqual(WRITE_BATCH);
    expect(Object.keys(b.messages.values())).toHaveLength(n);
    // Noted (incremental) application batches too.
    await a.messages.write('late', { id: 'late', text: 'after the first sync' });
    await a.bridge.run();
    expect(await b.bridge.run()).toMatchObject({ appliedIn: 1, mirroredOut: 0 });
    expect(b.messages.writes).toEqual([...firstSync, 1]);
    expect(await b.bridge.run()).toMatchObject({ appliedIn: 0, mirroredOut: 0 });
    expect(await b.store.listDirty()).toEqual([]);
  });

  it('local changes go to the engine a page per write; a damaged record is skipped alone', async () => {
    const { relay } = setup();
    const a = createTestDevice(relay, fakeSyncKeys(), 'A2', { policies: BRIDGE_POLICIES });
    const writes: number[] = [];
    const messages = createMemoryBridgeCollection('messages');
    const bridge = createSyncBridge({
      engine: {
        ...a.engine,
        writeMany: (collection, changes) => {
          writes.push(changes.length);
          return a.engine.writeMany(collection, changes);
        },
      },
      collections: [messages],
      marks: createMemoryMarkStore(),
    });
    const n = MIRROR_BATCH + 2;
    for (let i = 0; i < n; i++) await messages.write(`m${i}`, { id: `m${i}`, text: `t${i}` });
    messages.damaged.add('m1');
    expect(await bridge.run()).toMatchObject({ mirroredOut: n - 1, skipped: 1 });
    expect(writes).toEqual([MIRROR_BATCH - 1, 2]);
    expect((await a.engine.list('messages')).map((r) => r.id)).not.toContain('m1');
    // Marked as seen: neither re-read into the engine nor counted again.
    expect(await bridge.run()).toMatchObject({ mirroredOut: 0, skipped: 0 });
  });

  it("with localChanges 'noted', a pass reads only the rows reported changed", async () => {
    const { relay } = setup();
    const a = createTestDevice(relay, fakeSyncKeys(), 'A3', { policies: BRIDGE_POLICIES });
    const notes = createMemoryBridgeCollection('conversations');
    const reads = { all: 0, some: [] as string[][] };
    const bridge = createSyncBridge({
      engine: a.engine,
      collections: [
        {
          ...notes,
          rows: () => ((reads.all += 1), notes.rows()),
          rowsOf: (ids) => (reads.some.push([...ids]), notes.rowsOf!(ids)),
        },
      ],
      marks: createMemoryMarkStore(),
      localChanges: 'noted',
    });
    await notes.write('c1', { id: 'c1', title: 'one' });
    await bridge.run(); // the first pass compares every row (both ways)
    expect(reads.all).toBe(2);
    // An idle poll reads nothing.
    expect(await bridge.run()).toMatchObject({ mirroredOut: 0 });
    expect(reads).toEqual({ all: 2, some: [] });
    // A reported write is read alone and mirrored.
    await notes.write('c2', { id: 'c2', title: 'two' });
    bridge.noteLocal('conversations', ['c2']);
    expect(await bridge.run()).toMatchObject({ mirroredOut: 1 });
    expect(reads).toEqual({ all: 2, some: [['c2']] });
    // An unreported write waits for a rescan; "unknown which" rescans the collection.
    await notes.write('c3', { id: 'c3', title: 'three' });
    expect(await bridge.run()).toMatchObject({ mirroredOut: 0 });
    bridge.rescanLocal();
    expect(await bridge.run()).toMatchObject({ mirroredOut: 1 });
    await notes.write('c4', { id: 'c4', title: 'four' });
    bridge.noteLocal('conversations', undefined);
    expect(await bridge.run()).toMatchObject({ mirroredOut: 1 });
    expect(reads.all).toBe(4);
    expect((await a.engine.list('conversations')).map((r) => r.id).sort()).toEqual([
      'c1',
      'c2',
      'c3',
      'c4',
    ]);
  });

  it('an idle pass saves no marks; a pass that mirrors something does', async () => {
    const { a } = setup();
    await a.conversations.write('c1', { id: 'c1', title: 'Trip' });
    await a.bridge.run();
    const saves = a.marks.saves;
    expect(saves).toBeGreaterThan(0);
    await a.bridge.run();
    expect(a.marks.saves).toBe(saves);
    await a.conversations.write('c1', { id: 'c1', title: 'Trip to Oslo' });
    await a.bridge.run();
    expect(a.marks.saves).toBeGreaterThan(saves);
  });
});
