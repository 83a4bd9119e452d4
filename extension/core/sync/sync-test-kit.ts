/**
 * Test fixtures for the sync tests (not a test file): random vault keys, and devices wired to
 * a fake relay with deterministic ids and instant retries.
 */
import { randomBytes } from '../../../shared/crypto';
import type { FakeRelay } from './fake-relay';
import { createMemoryLocalStore } from './memory-local-store';
import type { RelayTransport, SyncKeys } from './ports';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from './sync-engine';
import { DEFAULT_POLICIES } from './sync-doc';
import type { SyncConflict } from './merge';

/** Fresh random keys for one vault (a stand-in for `createSyncKeys(unlockedVault)`). */
export function fakeSyncKeys(
  vaultId = `vault${Math.random().toString(36).slice(2, 10)}`,
): SyncKeys {
  const keys = new Map(
    Object.keys(DEFAULT_POLICIES).map((c) => [c, { keyId: `${c}:1`, key: randomBytes(32) }]),
  );
  return { vaultId, collectionKey: (c) => keys.get(c), manifestKey: randomBytes(32) };
}

/** A device: its engine, its store, the conflicts it reported. */
export interface TestDevice {
  name: string;
  engine: SyncEngine;
  store: ReturnType<typeof createMemoryLocalStore>;
  conflicts: SyncConflict[];
}

/** A device of the account `keys` on `relay`. Ids are `<name>_<n>`; retries do not sleep. */
export function createTestDevice(
  relay: FakeRelay,
  keys: SyncKeys,
  name: string,
  overrides: Partial<SyncEngineOptions> & { transport?: RelayTransport } = {},
): TestDevice {
  const store = createMemoryLocalStore();
  const conflicts: SyncConflict[] = [];
  let n = 0;
  let t = 1_700_000_000_000;
  const engine = createSyncEngine({
    transport: relay.transport,
    store,
    keys,
    device: name,
    newId: () => `${name}_${++n}`,
    // A shared-looking, strictly increasing clock keeps HLC stamps realistic and deterministic.
    now: () => (t += 1),
    sleep: async () => {},
    backoff: { random: () => 0.5 },
    onConflict: (c) => conflicts.push(c),
    ...overrides,
  });
  return { name, engine, store, conflicts };
}

/** Everything a device shows, for convergence checks. */
export async function snapshotDevice(d: TestDevice) {
  const out: Record<string, unknown> = {};
  for (const c of ['conversations', 'messages', 'memory', 'settings']) {
    out[c] = (await d.engine.list(c)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return out;
}
