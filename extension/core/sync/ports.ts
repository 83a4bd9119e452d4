/**
 * Ports of the sync engine: the relay over HTTP (`RelayTransport`), its notification socket
 * (`RelaySocket`, shaped like tldraw's TLPersistentClientSocket), the local record store
 * (`LocalRecordStore`) and the keys (`SyncKeys`). In-memory fakes live beside them
 * (fake-relay.ts, memory-local-store.ts); the fetch/WebSocket adapters live in
 * extension/adapters/sync.
 */
import type { CollectionKey } from '../../../shared/crypto';
import type {
  ManifestBody,
  ManifestReply,
  PullReply,
  PushBody,
  PushReply,
} from '../../../shared/protocol';
import type { SyncDoc } from './sync-doc';

/**
 * The relay's sync API. Implementations throw `RelayError` (errors.ts); the engine retries the
 * retryable ones. Replies are schema-validated by the adapter but NOT trusted by the engine.
 */
export interface RelayTransport {
  /** POST /v1/sync/push */
  push(body: PushBody): Promise<PushReply>;
  /** GET /v1/sync/pull?since=&limit= */
  pull(since: number, limit: number): Promise<PullReply>;
  /** GET /v1/sync/manifest; `undefined` when the account has none yet (404). */
  getManifest(): Promise<ManifestReply | undefined>;
  /** PUT /v1/sync/manifest; RelayError('stale-manifest') when the counter did not grow. */
  putManifest(body: ManifestBody): Promise<ManifestReply>;
}

/** Connection state of the notification socket. */
export const SOCKET_STATUS = { online: 'online', offline: 'offline', error: 'error' } as const;
/** Union of {@link SOCKET_STATUS} values. */
export type SocketStatus = (typeof SOCKET_STATUS)[keyof typeof SOCKET_STATUS];

/** The relay's WebSocket: only announces seq values (`hello`, `notify`); carries no data. */
export interface RelaySocket {
  readonly status: SocketStatus;
  /** Called with the account seq on `hello` and on every `notify`. Returns an unsubscribe. */
  onNotify(listener: (seq: number) => void): () => void;
  /** Called when the status changes (e.g. back online after a relay restart). */
  onStatusChange(listener: (status: SocketStatus) => void): () => void;
  /** Drop the connection and reconnect now (e.g. after a token refresh). */
  restart(): void;
  /** Close for good. */
  close(): void;
}

/** The highest server version of a record this device has seen (rollback memory). */
export interface SeenVersion {
  revision: number;
  deleted: boolean;
  /** Hex SHA-256 of the envelope; '' for a tombstone (the relay keeps no envelope). */
  hash: string;
}

/** The sync view of one local record (the adapter stores `doc` encrypted at rest). */
export interface LocalRecord {
  collection: string;
  id: string;
  /** Current local content; undefined for a tombstone. */
  doc: SyncDoc | undefined;
  deleted: boolean;
  /** Local changes the relay has not confirmed yet. */
  dirty: boolean;
  /** Bumped on each local write, so an acknowledged op can tell if newer edits exist. */
  localVersion: number;
  /** Highest server version seen; undefined when never synced. */
  seen: SeenVersion | undefined;
  /**
   * Set (only by apply-served, on the record it returns) when `doc` is an exact, clean copy of
   * the served version `seen`: a store may keep that relay envelope as its at-rest ciphertext
   * instead of sealing `doc` again. Stores never return it; a store uses it only while it
   * still describes the record (same `doc` object, `seen.revision`, not dirty or deleted).
   */
  relay?: RelayCopy;
}

/** The relay envelope a record's document was opened from ({@link LocalRecord.relay}). */
export interface RelayCopy {
  /** The served revision (the envelope's AAD: `vaultId | collection | id | revision | false`). */
  revision: number;
  /** The envelope bytes exactly as the relay holds them. */
  envelope: Uint8Array;
  /** The document opened from `envelope` (compared by identity with `LocalRecord.doc`). */
  doc: SyncDoc;
}

/** A sealed push op, persisted before it is sent so a retry replays the same op id. */
export interface OutboxOp {
  opId: string;
  collection: string;
  id: string;
  baseRevision: number;
  revision: number;
  deleted: boolean;
  envelope: Uint8Array | undefined;
  /** Hex SHA-256 of `envelope` ('' for a tombstone). */
  hash: string;
  /** `LocalRecord.localVersion` this op was built from. */
  localVersion: number;
}

/** Per-device sync progress, persisted. */
export interface SyncState {
  /** Pass as `since` to the next pull. */
  cursor: number;
  /** Highest account seq the relay ever reported to this device (account-rollback memory). */
  highestSeq: number;
  /** Highest verified manifest counter seen (manifest-rollback memory). */
  manifestCounter: number;
  /** Last HLC stamp (serialised), so the clock never goes back across restarts. */
  hlc: string | undefined;
  /** Epoch ms of the last completed pass ("last synced"). */
  lastSyncedAt: number | undefined;
}

/** Which record: its collection and id. */
export interface RecordKey {
  collection: string;
  id: string;
}

/** A record's key and seen version ({@link LocalRecordStore.listSeen}). */
export interface SeenEntry extends RecordKey {
  seen: SeenVersion | undefined;
}

/** One atomic write to the local store (a Dexie transaction in the adapter). */
export interface StoreCommit {
  records?: LocalRecord[];
  outboxPut?: OutboxOp[];
  /** Op ids to remove. */
  outboxDelete?: string[];
  state?: SyncState;
}

/** Local persistence for sync. `commit` must be atomic: all of it or nothing. */
export interface LocalRecordStore {
  getRecord(collection: string, id: string): Promise<LocalRecord | undefined>;
  /** Several records in one read (a pulled page), in the order asked; undefined where absent. */
  getRecords(keys: readonly RecordKey[]): Promise<(LocalRecord | undefined)[]>;
  /** Every record (optionally of one collection), tombstones included. */
  listRecords(collection?: string): Promise<LocalRecord[]>;
  /**
   * The seen version of every record (tombstones included), without reading documents: the
   * manifest steps need only this, and decrypting every record for it would be wasted work.
   */
  listSeen(): Promise<SeenEntry[]>;
  /** Records with `dirty: true` (at most `limit`, in a stable order, when given). */
  listDirty(limit?: number): Promise<LocalRecord[]>;
  listOutbox(): Promise<OutboxOp[]>;
  getState(): Promise<SyncState | undefined>;
  commit(change: StoreCommit): Promise<void>;
  /**
   * True when the store holds no record at all (tombstones count), found without reading any
   * document. Optional: a store without it is never assumed empty (absent-store.ts).
   */
  isEmpty?(): Promise<boolean>;
}

/** Keys the engine needs; see sync-keys.ts to build them from an unlocked vault. */
export interface SyncKeys {
  vaultId: string;
  /** The data key of a collection, or undefined for a collection this client does not know. */
  collectionKey(collection: string): CollectionKey | undefined;
  /** HMAC key for manifests: HKDF(AK, vaultId, "nook/manifest/v1"). */
  manifestKey: Uint8Array;
}
