import { describe, expect, it } from 'vitest';
import { createSyncBridge } from './bridge';
import { setupBridges as setup } from './bridge-test-kit';
import { BODY_COLLECTIONS } from './collections';

type Device = ReturnType<ReturnType<typeof setup>['device']>;

/** A and B share conversation c1 = `start`, both mirrored. */
async function shared(start: Record<string, unknown>) {
  const s = setup();
  await s.a.conversations.write('c1', { id: 'c1', ...start });
  await s.a.bridge.run();
  await s.b.bridge.run();
  return s;
}

/**
 * `d`'s engine pulls what the relay has, then `localEdit` lands in the repo before step 3
 * could write the pulled values into it (the race of a pass cut between its steps).
 */
async function pullThenEditLocally(d: Device, localEdit: () => Promise<unknown>) {
  await d.bridge.pushLocal();
  await d.engine.sync();
  await localEdit();
  // Step 3 must leave the unmirrored local edit alone.
  await d.bridge.applyRemote();
}

/** Passes on both devices until both have everything. */
async function settle(a: Device, b: Device) {
  await a.bridge.run();
  await b.bridge.run();
  await a.bridge.run();
}

describe('sync bridge: local edits racing pulled remote edits (3-way diff)', () => {
  it('a remote edit pulled before a local edit of another field is not overwritten', async () => {
    const { a, b } = await shared({ title: 'Trip', pinned: false });
    await b.conversations.write('c1', { id: 'c1', title: 'Trip to Oslo', pinned: false });
    await b.bridge.run();
    await pullThenEditLocally(a, () =>
      a.conversations.write('c1', { id: 'c1', title: 'Trip', pinned: true }),
    );
    expect(a.conversations.values()['c1']).toEqual({ id: 'c1', title: 'Trip', pinned: true });
    await settle(a, b);
    const both = { id: 'c1', title: 'Trip to Oslo', pinned: true };
    expect(a.conversations.values()['c1']).toEqual(both);
    expect(b.conversations.values()['c1']).toEqual(both);
    expect(await a.engine.read('conversations', 'c1')).toEqual(
      await b.engine.read('conversations', 'c1'),
    );
  });

  it('the same field edited on both sides converges to the remote value', async () => {
    const { a, b } = await shared({ title: 'Trip', pinned: false });
    await b.conversations.write('c1', { id: 'c1', title: 'Oslo', pinned: false });
    await b.bridge.run();
    await pullThenEditLocally(a, () =>
      a.conversations.write('c1', { id: 'c1', title: 'Bergen', pinned: true }),
    );
    await settle(a, b);
    // The title edits were concurrent: the relay's stands; the pin is A's alone and survives.
    const both = { id: 'c1', title: 'Oslo', pinned: true };
    expect(a.conversations.values()['c1']).toEqual(both);
    expect(b.conversations.values()['c1']).toEqual(both);
    expect(await a.store.listDirty()).toEqual([]);
    expect(await a.bridge.run()).toMatchObject({ mirroredOut: 0, appliedIn: 0 });
  });

  it('a field added remotely is not cleared by a local edit of another field', async () => {
    const { a, b } = await shared({ title: 'Trip' });
    await b.conversations.write('c1', { id: 'c1', title: 'Trip', model: 'gpt' });
    await b.bridge.run();
    await pullThenEditLocally(a, () =>
      a.conversations.write('c1', { id: 'c1', title: 'Trip', pinned: true }),
    );
    await settle(a, b);
    const both = { id: 'c1', title: 'Trip', model: 'gpt', pinned: true };
    expect(a.conversations.values()['c1']).toEqual(both);
    expect(b.conversations.values()['c1']).toEqual(both);
  });

  it('a local edit of a record deleted remotely meanwhile loses to the delete', async () => {
    const { a, b } = await shared({ title: 'Trip' });
    await b.conversations.remove('c1');
    await b.bridge.run();
    await pullThenEditLocally(a, () =>
      a.conversations.write('c1', { id: 'c1', title: 'Trip', pinned: true }),
    );
    // Before the fix, step 1 wrote to the engine's tombstone and every pass failed.
    await settle(a, b);
    expect(a.conversations.values()).toEqual({});
    expect(b.conversations.values()).toEqual({});
    expect(a.marks.stamps()).toEqual({});
  });

  it('the bases survive a restart of the bridge (they are stored with the marks)', async () => {
    const { a, b } = await shared({ title: 'Trip', pinned: false });
    await b.conversations.write('c1', { id: 'c1', title: 'Trip to Oslo', pinned: false });
    await b.bridge.run();
    await pullThenEditLocally(a, () =>
      a.conversations.write('c1', { id: 'c1', title: 'Trip', pinned: true }),
    );
    // The page running sync reloads: a new bridge over the same repos, engine and stores.
    const reloaded = createSyncBridge({
      engine: a.engine,
      collections: [a.conversations, a.messages, a.memory],
      bodyCollections: BODY_COLLECTIONS,
      marks: a.marks,
    });
    await reloaded.run();
    await b.bridge.run();
    const both = { id: 'c1', title: 'Trip to Oslo', pinned: true };
    expect(a.conversations.values()['c1']).toEqual(both);
    expect(b.conversations.values()['c1']).toEqual(both);
  });

  it('bases are kept for mirrored records only, dropped on delete, and saved on change', async () => {
    const { a, b } = await shared({ title: 'Trip' });
    await a.memory.write('f1', { id: 'f1', text: 'Prefers tea' });
    await a.messages.write('m1', { id: 'm1', conversationId: 'c1', content: 'hi' });
    await a.bridge.run();
    await b.bridge.run();
    for (const d of [a, b]) {
      const stamps = d.marks.stamps();
      expect(Object.keys(stamps).sort()).toEqual(['conversations/c1', 'memory/f1', 'messages/m1']);
      // A body record has no field stamps: its base only says the engine has it.
      expect(stamps['memory/f1']).toBe('');
      // Digests, not stamps or values: short and opaque.
      expect(stamps['conversations/c1']).toMatch(/^[0-9a-z]{1,7}(\.[0-9a-z]{1,7})*$/);
    }
    const saves = a.marks.stampSaves;
    expect(await a.bridge.run()).toMatchObject({ mirroredOut: 0, appliedIn: 0 });
    expect(a.marks.stampSaves).toBe(saves);
    await a.conversations.remove('c1');
    await a.bridge.run();
    await b.bridge.run();
    expect(Object.keys(a.marks.stamps()).sort()).toEqual(['memory/f1', 'messages/m1']);
    expect(Object.keys(b.marks.stamps()).sort()).toEqual(['memory/f1', 'messages/m1']);
  });

  it('records mirrored before bases existed still sync (2-way diff until mirrored again)', async () => {
    const { a, b } = await shared({ title: 'Trip' });
    // Forget every base, as on a browser that synced before this change.
    await a.marks.saveStamps?.({});
    await a.conversations.write('c1', { id: 'c1', title: 'Trip to Oslo' });
    await a.bridge.run();
    await b.bridge.run();
    expect(b.conversations.values()['c1']).toEqual({ id: 'c1', title: 'Trip to Oslo' });
    expect(Object.keys(a.marks.stamps())).toEqual(['conversations/c1']);
  });
});
