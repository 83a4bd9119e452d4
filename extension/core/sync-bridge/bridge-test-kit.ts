/**
 * Test fixtures for the bridge tests (not a test file): devices on one fake relay, each with
 * its engine, in-memory repos (conversations, messages, memory) and its bridge.
 */
import { createFakeRelay } from '../sync/fake-relay';
import type { RelayTransport } from '../sync/ports';
import { createTestDevice, fakeSyncKeys } from '../sync/sync-test-kit';
import { createSyncBridge, type SyncBridge } from './bridge';
import { createMemoryBridgeCollection, createMemoryMarkStore } from './memory-bridge-collection';
import { BODY_COLLECTIONS, BRIDGE_POLICIES } from './collections';

/** A relay, a device factory, and two devices A and B of one account. */
export function setupBridges() {
  const relay = createFakeRelay();
  const keys = fakeSyncKeys();
  const device = (name: string, transport: RelayTransport = relay.transport) => {
    const marks = createMemoryMarkStore();
    const ref: { bridge?: SyncBridge } = {};
    const d = createTestDevice(relay, keys, name, {
      transport,
      policies: BRIDGE_POLICIES,
      onRemoteApplied: (c, id, value) => ref.bridge?.noteRemote(c, id, { value }),
    });
    const conversations = createMemoryBridgeCollection('conversations');
    const messages = createMemoryBridgeCollection('messages');
    const memory = createMemoryBridgeCollection('memory');
    const bridge = createSyncBridge({
      engine: d.engine,
      collections: [conversations, messages, memory],
      bodyCollections: BODY_COLLECTIONS,
      marks,
    });
    ref.bridge = bridge;
    return { ...d, conversations, messages, memory, bridge, marks };
  };
  return { relay, device, a: device('A'), b: device('B') };
}
