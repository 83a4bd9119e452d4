/**
 * Composition of sync for one extension page: the ports of `core/sync-bridge` over Dexie
 * (the `nook` database, schema v2 tables), `storage.session` (relay session + shared status),
 * Web Locks, BroadcastChannel and the page's repos and vault service.
 */
import { Dexie } from 'dexie';
import { randomBytes, toHex, type Collection } from '../../../shared/crypto';
import type { SessionReply } from '../../../shared/protocol';
import type { BridgeCollection } from '../../core/sync-bridge/bridge';
import { BRIDGE_POLICIES, type BridgedCollection } from '../../core/sync-bridge/collections';
import type {
  SharedSyncStatus,
  SyncConfig,
  SyncNudge,
  SyncServicePorts,
} from '../../core/sync-bridge/ports';
import { createSyncRunner } from '../../core/sync-bridge/sync-runner';
import { createSyncService } from '../../core/sync-bridge/sync-service';
import { RecordError } from '../../core/records/record-repo-port';
import type { OutboxOp, SyncState } from '../../core/sync/ports';
import { createSyncEngine } from '../../core/sync/sync-engine';
import { createSyncKeys } from '../../core/sync/sync-keys';
import type { MetaStore } from '../../core/vault/ports';
import type { VaultService } from '../../core/vault/vault-service';
import { createRecordRepo, type BulkRecordRepo } from '../db/record-repo';
import { createDexieRecordTable } from '../db/record-table';
import type { NookDb, RecordRow } from '../db/schema';
import type { KvArea } from '../vault/kv-area';
import { dexieBridgeCollection } from './dexie-bridge-collection';
import { createDexieSyncBackend, SYNC_STATE_META_KEY } from './dexie-sync-backend';
import { createEncryptedLocalStore, type SyncRow } from './encrypted-local-store';
import { createRelayClient, type SessionStore } from './relay-client';
import { repoChanges } from './repo-changes';
import { createWebSocketRelaySocket, type WebSocketLike } from './relay-socket';

const SESSION_KEY = 'nook.relaySession';
const STATUS_KEY = 'nook.syncStatus';
const MARKS_META_KEY = 'syncBridgeMarks';
/** The bridge's 3-way diff bases (digests of HLC stamps: timing, not content). */
const STAMPS_META_KEY = 'syncBridgeStamps';
const CONFIG_ID = 'relay-config';
const CHANNEL = 'nook-sync';

/** The repos sync mirrors (a subset of `Repos`). */
export interface SyncedRepos {
  conversations: BulkRecordRepo<unknown>;
  messages: BulkRecordRepo<unknown>;
  settings: BulkRecordRepo<unknown>;
  personas: BulkRecordRepo<unknown>;
  memory: BulkRecordRepo<unknown>;
  /** The `secrets` collection (providers with API keys). */
  providers: BulkRecordRepo<unknown>;
}

/** What the wiring needs from the page. */
export interface SyncWiringDeps {
  db: NookDb;
  meta: MetaStore;
  vault: VaultService;
  repos: SyncedRepos;
  sessionArea: KvArea;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /**
   * `WebSocket` class for the relay's notification socket (the page's
   * `ledgerSockets.WebSocket`, so it is in the data-flow ledger). Default: the global.
   */
  WebSocket?: new (url: string) => WebSocketLike;
}

/** A SessionStore in storage.session (memory-only; shared by the extension's pages). */
function kvSessionStore(area: KvArea): SessionStore {
  return {
    load: async () => (await area.get(SESSION_KEY))[SESSION_KEY] as SessionReply | undefined,
    save: (s) => (s === undefined ? area.remove(SESSION_KEY) : area.set({ [SESSION_KEY]: s })),
  };
}

/** Web Locks when the page has them; an in-page chain otherwise (tests). */
function locks() {
  const chains = new Map<string, Promise<unknown>>();
  const nav = globalThis.navigator as Navigator | undefined;
  const webLocks = nav?.locks;
  return {
    withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
      if (webLocks) return webLocks.request(name, fn) as Promise<T>;
      const prev = chains.get(name) ?? Promise.resolve();
      const next = prev.then(fn, fn);
      chains.set(
        name,
        next.catch(() => undefined),
      );
      return next;
    },
    holdLock(name: string, fn: () => Promise<void>): void {
      if (webLocks) void webLocks.request(name, fn);
      else void fn();
    },
  };
}

/** Builds the sync service and the background runner for one page. */
export function createSyncWiring(deps: SyncWiringDeps) {
  const { db, meta, vault, repos, sessionArea } = deps;
  const sessions = kvSessionStore(sessionArea);
  const records = db.table<SyncRow, string>('sync_records');
  const outbox = db.table<OutboxOp, string>('sync_outbox');
  const configRepo = createRecordRepo<SyncConfig>(
    createDexieRecordTable(db.table<RecordRow, string>('sync_local')),
    'settings' satisfies Collection,
    () => vault.getVault(),
  );
  const clients = new Map<string, ReturnType<typeof createRelayClient>>();
  const channel =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : undefined;
  // Node's BroadcastChannel (unit tests) would otherwise keep the process alive.
  (channel as { unref?: () => void } | undefined)?.unref?.();
  const nudgeListeners = new Set<(m: SyncNudge) => void>();
  channel?.addEventListener('message', (e: MessageEvent<unknown>) => {
    if (e.data === 'sync-now' || e.data === 'config-changed' || e.data === 'remote-changed') {
      for (const l of nudgeListeners) l(e.data);
    }
  });
  const lock = locks();

  const ports: SyncServicePorts = {
    vault: {
      getVault: () => vault.getVault(),
      header: () => meta.get('header'),
      secretKey: () => meta.get('secretKey'),
      pinnedKdf: () => meta.get('kdf'),
      async adopt(header, secretKey, passphrase) {
        await meta.set('kdf', header.kdf);
        await meta.set('secretKey', secretKey);
        await meta.set('throttle', { failures: 0, lastFailureAt: 0 });
        await meta.set('kitPending', false);
        // The header goes last: its presence is what marks the vault as existing.
        await meta.set('header', header);
        await vault.init();
        return (await vault.unlock(passphrase)).ok;
      },
    },
    config: {
      async load() {
        try {
          return await configRepo.get(CONFIG_ID);
        } catch (e) {
          if (e instanceof RecordError && (e.code === 'not-found' || e.code === 'deleted')) {
            return undefined;
          }
          throw e;
        }
      },
      async save(config) {
        if (config === undefined) await configRepo.delete(CONFIG_ID);
        else await configRepo.put(CONFIG_ID, config);
      },
    },
    relay(baseUrl) {
      let c = clients.get(baseUrl);
      if (c === undefined) {
        c = createRelayClient({
          baseUrl,
          sessions,
          fetch: deps.fetch ?? ((input, init) => globalThis.fetch(input, init)),
        });
        clients.set(baseUrl, c);
      }
      return c;
    },
    async openEngine(client, config, hooks) {
      const keys = await createSyncKeys(vault.getVault());
      const store = createEncryptedLocalStore(
        createDexieSyncBackend(db, { records, outbox, meta: db.meta }),
        keys,
      );
      const engine = createSyncEngine({
        transport: client.transport,
        store,
        keys,
        device: config.deviceId,
        policies: BRIDGE_POLICIES,
        onRemoteApplied: hooks.onRemoteApplied,
      });
      const WS =
        deps.WebSocket ??
        (typeof WebSocket === 'function'
          ? (WebSocket as unknown as new (url: string) => WebSocketLike)
          : undefined);
      const socket = WS
        ? createWebSocketRelaySocket({
            url: client.wsUrl,
            getToken: () => client.accessToken(),
            WebSocket: WS,
          })
        : undefined;
      return { engine, socket };
    },
    collections(names) {
      const byName = {
        conversations: dexieBridgeCollection(
          'conversations',
          db.conversations,
          repos.conversations,
        ),
        messages: dexieBridgeCollection('messages', db.messages, repos.messages),
        settings: dexieBridgeCollection('settings', db.settings, repos.settings),
        personas: dexieBridgeCollection('personas', db.personas, repos.personas),
        memory: dexieBridgeCollection('memory', db.memory, repos.memory),
        secrets: dexieBridgeCollection('secrets', db.secrets, repos.providers),
      } satisfies Record<BridgedCollection, BridgeCollection>;
      return names.map((n) => byName[n]);
    },
    marks: {
      load: async () =>
        ((await db.meta.get(MARKS_META_KEY))?.value ?? {}) as Record<string, number>,
      save: async (marks) => {
        await db.meta.put({ key: MARKS_META_KEY, value: marks });
      },
      loadStamps: async () =>
        ((await db.meta.get(STAMPS_META_KEY))?.value ?? {}) as Record<string, string>,
      saveStamps: async (stamps) => {
        await db.meta.put({ key: STAMPS_META_KEY, value: stamps });
      },
    },
    async progress() {
      const state = (await db.meta.get(SYNC_STATE_META_KEY))?.value as SyncState | undefined;
      const pending = await records.where('dirty').equals(1).count();
      return { lastSyncedAt: state?.lastSyncedAt, pending };
    },
    async resetLocal() {
      await db.transaction('rw', [records, outbox, db.meta], async () => {
        await records.clear();
        await outbox.clear();
        await db.meta.bulkDelete([SYNC_STATE_META_KEY, MARKS_META_KEY, STAMPS_META_KEY]);
      });
    },
    shared: {
      read: async () =>
        (await sessionArea.get(STATUS_KEY))[STATUS_KEY] as SharedSyncStatus | undefined,
      write: (s) => sessionArea.set({ [STATUS_KEY]: s }),
      subscribe(listener) {
        const l = (changes: Record<string, unknown>) => {
          if (Object.hasOwn(changes, STATUS_KEY) || Object.hasOwn(changes, SESSION_KEY)) listener();
        };
        sessionArea.onChanged.addListener(l);
        return () => sessionArea.onChanged.removeListener(l);
      },
    },
    withLock: lock.withLock,
    holdLock: lock.holdLock,
    channel: {
      post(m) {
        channel?.postMessage(m);
        // BroadcastChannel does not deliver to its sender: tell this page's listeners too.
        for (const l of nudgeListeners) l(m);
      },
      subscribe(listener) {
        nudgeListeners.add(listener);
        return () => nudgeListeners.delete(listener);
      },
    },
    onLocalChange(listener) {
      // Dexie reports writes of every page of this origin; only content tables count
      // (the engine's own sync_* writes must not trigger another pass).
      const tables = new Set<string>([
        'conversations',
        'messages',
        'settings',
        'personas',
        'memory',
        'secrets',
      ]);
      const fn = (parts: Record<string, unknown>) => {
        const changes = repoChanges(db.name, tables, parts);
        if (changes.length > 0) listener(changes);
      };
      Dexie.on.storagemutated.subscribe(fn);
      return () => Dexie.on.storagemutated.unsubscribe(fn);
    },
    newDeviceId: () => toHex(randomBytes(16)),
    now: () => Date.now(),
  };

  const service = createSyncService(ports);
  const runner = createSyncRunner(ports);
  // Sync follows the vault: it runs while unlocked and stops on lock.
  vault.subscribe((s) => (s.status === 'unlocked' ? runner.start() : runner.stop()));
  if (vault.getState().status === 'unlocked') runner.start();
  return { service, runner, ports };
}

/** The page's sync service. */
export type SyncWiring = ReturnType<typeof createSyncWiring>;
