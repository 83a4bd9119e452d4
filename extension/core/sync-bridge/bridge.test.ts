import { describe, expect, it } from 'vitest';
import { createFakeRelay } from '../sync/fake-relay';
import { createTestDevice, fakeSyncKeys } from '../sync/sync-test-kit';
import { createSyncBridge } from './bridge';
import { createMemoryBridgeCollection, createMemoryMarkStore } from './memory-bridge-collection';
import { BRIDGE_POLICIES } from './collections';

function setup() {
  const relay = createFakeRelay();
  const keys = fakeSyncKeys();
  const device = (name: string) => {
    const d = createTestDevice(relay, keys, name, { policies: BRIDGE_POLICIES });
    const conversations = createMemoryBridgeCollection('conversations');
    const messages = createMemoryBridgeCollection('messages');
    const bridge = createSyncBridge({
      engine: d.engine,
      collections: [conversations, messages],
      marks: createMemoryMarkStore(),
    });
    return { ...d, conversations, messages, bridge };
  };
  return { relay, a: device('A'), b: device('B') };
}

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
});
