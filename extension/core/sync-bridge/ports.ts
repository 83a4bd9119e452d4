/**
 * Ports of the sync service. `extension/adapters/sync/sync-wiring.ts` implements them over
 * fetch, Dexie, storage.session, Web Locks and BroadcastChannel; tests use fakes.
 */
import type { KdfParams, RecoveredVault, VaultHeader } from '../../../shared/crypto';
import type {
  CreateAccountBody,
  CreateAccountReply,
  DevicesReply,
  LoginBody,
  LoginReply,
  PreloginReply,
} from '../../../shared/protocol';
import type { RelaySocket, RelayTransport } from '../sync/ports';
import type { PinnedKdf } from '../sync/relay-kdf';
import type { SyncedValue, SyncEngine } from '../sync/sync-engine';
import type { BridgeCollection, MarkStore } from './bridge';
import type { BridgedCollection } from './collections';

/** What this device remembers about its relay connection (stored encrypted, never synced). */
export interface SyncConfig {
  relayUrl: string;
  accountId: string;
  deviceId: string;
  deviceName: string;
  /** "Sync API keys" (default off). */
  syncSecrets: boolean;
}

/** The relay client calls the service needs (adapters/sync/relay-client.ts). */
export interface RelayClientPort {
  transport: RelayTransport;
  wsUrl: string;
  createAccount(body: CreateAccountBody): Promise<CreateAccountReply>;
  prelogin(accountId: string, pinned: PinnedKdf): Promise<PreloginReply>;
  /** Prelogin with nothing pinned (a browser being linked): only the KDF floor is checked. */
  preloginFresh(accountId: string): Promise<PreloginReply>;
  login(body: LoginBody, pinned: PinnedKdf): Promise<LoginReply>;
  logout(): Promise<void>;
  devices(): Promise<DevicesReply>;
  revokeDevice(id: string): Promise<void>;
  deleteAccount(authKey: string): Promise<void>;
  accessToken(): Promise<string>;
  /** True when a relay session (tokens) is stored. */
  hasSession(): Promise<boolean>;
}

/** The local vault, as far as sync needs it. */
export interface VaultPort {
  /** The unlocked vault; throws when locked. */
  getVault(): RecoveredVault;
  header(): Promise<VaultHeader | undefined>;
  secretKey(): Promise<string | undefined>;
  pinnedKdf(): Promise<KdfParams | undefined>;
  /**
   * Makes `header` (downloaded from the relay) this browser's vault, on a browser with no
   * vault yet, then unlocks it with `passphrase`. Returns false for a wrong passphrase.
   */
  adopt(header: VaultHeader, secretKey: string, passphrase: string): Promise<boolean>;
}

/** The engine with its socket, for one connection. */
export interface EngineHandle {
  engine: SyncEngine;
  socket: RelaySocket | undefined;
}

/** Everything the service needs from the platform. */
export interface SyncServicePorts {
  vault: VaultPort;
  /** The encrypted config record (readable only while unlocked). */
  config: {
    load(): Promise<SyncConfig | undefined>;
    save(config: SyncConfig | undefined): Promise<void>;
  };
  relay(baseUrl: string): RelayClientPort;
  /** `onRemoteApplied` is handed to the engine (see `SyncEngineOptions.onRemoteApplied`). */
  openEngine(
    client: RelayClientPort,
    config: SyncConfig,
    hooks: {
      onRemoteApplied: (collection: string, id: string, value: SyncedValue | undefined) => void;
    },
  ): Promise<EngineHandle>;
  collections(names: readonly BridgedCollection[]): BridgeCollection[];
  marks: MarkStore;
  /** Progress persisted by the engine (readable by every page). */
  progress(): Promise<{ lastSyncedAt: number | undefined; pending: number }>;
  /** Drops the engine's local rows, outbox, state and marks (after disconnect/delete). */
  resetLocal(): Promise<void>;
  /** Shared status between pages (storage.session): the last error in plain words. */
  shared: {
    read(): Promise<SharedSyncStatus | undefined>;
    write(status: SharedSyncStatus): Promise<void>;
    subscribe(listener: () => void): () => void;
  };
  /** Runs `fn` holding a lock shared by every extension page (Web Locks). */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Waits for the lock `name`, then holds it until the promise `fn` returns settles. */
  holdLock(name: string, fn: () => Promise<void>): void;
  /** Cross-page nudges ("sync now", "local change"). */
  channel: {
    post(message: SyncNudge): void;
    subscribe(listener: (m: SyncNudge) => void): () => void;
  };
  /** Called when local records change (any page), with what changed; returns an unsubscribe. */
  onLocalChange(listener: (changes: readonly RepoChange[]) => void): () => void;
  newDeviceId(): string;
  now(): number;
}

/** Records of one synced collection written by some page (`ids` undefined: unknown which). */
export interface RepoChange {
  collection: string;
  ids: string[] | undefined;
}

/** Nudges between pages. */
export const SYNC_NUDGE = {
  syncNow: 'sync-now',
  configChanged: 'config-changed',
  /** The running page wrote relay changes into the repos: other pages reload their views. */
  remoteChanged: 'remote-changed',
} as const;
/** Union of {@link SYNC_NUDGE} values. */
export type SyncNudge = (typeof SYNC_NUDGE)[keyof typeof SYNC_NUDGE];

/** Status the running page shares with the others (no content, no secrets). */
export interface SharedSyncStatus {
  /** Plain-words description of the last failure, or undefined after a good pass. */
  error: string | undefined;
  /** When the running page last finished a pass. */
  at: number | undefined;
  /** True while a page is running sync. */
  running: boolean;
}

/**
 * An authenticated way to the connected relay, for other relay features of an extension page
 * (e.g. the sandbox): `SyncService.relaySession()` returns it while sync is connected and
 * signed in, else undefined. `accessToken()` refreshes under the cross-page session lock (the
 * relay rotates refresh tokens), so callers must not cache the token for long; call it per
 * request or per WebSocket connection.
 */
export interface RelaySession {
  /** The relay base URL the user configured (https, or http to loopback). */
  baseUrl: string;
  /** The relay's WebSocket URL (wss:, or ws: to loopback). */
  wsUrl: string;
  /** A valid access token; throws RelayError('unauthorized') when the session ended. */
  accessToken(): Promise<string>;
}
