/**
 * The sync engine's {@link LocalRecordStore}, encrypting every document at rest. Rows keep
 * only what the engine needs in plain (ids, flags, the seen revision/hash); the `SyncDoc`
 * is sealed with the collection key under AAD `vaultId | collection | "local/" + id |
 * localVersion`, so a row's ciphertext cannot be moved to another row (or confused with a
 * synced envelope, whose record ids never contain '/'). A row that is an exact, clean copy
 * of a served version (`LocalRecord.relay`: every record of a first sync) keeps the relay's
 * envelope instead (`sealed: 'relay'`), opened under the relay AAD `vaultId | collection |
 * id | seen.revision | false`: the same collection key, the same bytes the relay holds, no
 * second seal. Storage itself is a {@link SyncRowBackend}: Dexie in the extension
 * (dexie-sync-backend.ts), memory in tests.
 */
import { openJson, sealJson, type CollectionKey, type RecordContext } from '../../../shared/crypto';
import { SyncError } from '../../core/sync/errors';
import type {
  LocalRecord,
  LocalRecordStore,
  OutboxOp,
  RelayCopy,
  SeenVersion,
  SyncState,
} from '../../core/sync/ports';
import { parseSyncDoc, type SyncDoc } from '../../core/sync/sync-doc';

/** One stored record row. `env` is absent for tombstones. */
export interface SyncRow {
  /** `collection/id` (ids never contain '/'). */
  key: string;
  collection: string;
  id: string;
  deleted: 0 | 1;
  dirty: 0 | 1;
  localVersion: number;
  seen?: SeenVersion;
  env?: Uint8Array;
  /** 'relay': `env` is the relay's envelope of `seen.revision`; absent: sealed locally. */
  sealed?: 'relay';
}

/** One atomic write. */
export interface SyncRowBatch {
  rows?: SyncRow[];
  outboxPut?: OutboxOp[];
  outboxDelete?: string[];
  state?: SyncState;
}

/** Raw row storage; `write` must be atomic (one IndexedDB transaction). */
export interface SyncRowBackend {
  /** True when no record row exists (one key read at most). */
  isEmpty(): Promise<boolean>;
  getRow(key: string): Promise<SyncRow | undefined>;
  /** Several rows in one read, in the order asked. */
  getRows(keys: readonly string[]): Promise<(SyncRow | undefined)[]>;
  /** `limit` caps the dirty rows returned (in key order). */
  listRows(filter?: { collection?: string; dirty?: true; limit?: number }): Promise<SyncRow[]>;
  listOutbox(): Promise<OutboxOp[]>;
  getState(): Promise<SyncState | undefined>;
  write(batch: SyncRowBatch): Promise<void>;
}

/** Keys for at-rest encryption (the same collection keys the vault derives). */
export interface LocalStoreKeys {
  vaultId: string;
  collectionKey(collection: string): CollectionKey | undefined;
}

/** Documents remembered per store (see `remember`): enough for a first sync of 10,000+. */
const OPENED_CACHE_SIZE = 20_000;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row key of a record. */
export const syncRowKey = (collection: string, id: string) => `${collection}/${id}`;

/** Creates the encrypted store over `backend`. */
export function createEncryptedLocalStore(
  backend: SyncRowBackend,
  keys: LocalStoreKeys,
): LocalRecordStore {
  function key(collection: string, id: string): CollectionKey {
    const k = keys.collectionKey(collection);
    if (k === undefined) {
      throw new SyncError('bad-record', 'No key for this collection.', { collection, id });
    }
    return k;
  }
  const context = (collection: string, id: string, localVersion: number): RecordContext => ({
    vaultId: keys.vaultId,
    collection,
    recordId: `local/${id}`,
    revision: localVersion,
    deleted: false,
  });
  /** The AAD a row was sealed under (see the file comment), and a tag naming it. */
  function sealing(row: SyncRow): { ctx: RecordContext; tag: string } {
    if (row.sealed !== 'relay') {
      return {
        ctx: context(row.collection, row.id, row.localVersion),
        tag: `l${row.localVersion}`,
      };
    }
    const revision = row.seen?.revision ?? 0;
    const ctx = { vaultId: keys.vaultId, collection: row.collection, recordId: row.id, revision };
    return { ctx: { ...ctx, deleted: false }, tag: `r${revision}` };
  }
  /** The relay copy `r` carries, if it still describes `r` exactly (never trust a stale one). */
  function relayCopy(r: LocalRecord): RelayCopy | undefined {
    const c = r.relay;
    if (c === undefined || r.dirty || r.deleted || r.doc === undefined || c.doc !== r.doc) return;
    if (r.seen === undefined || r.seen.deleted || r.seen.revision !== c.revision) return;
    return c;
  }

  /**
   * Documents this store sealed or opened, by row: a row whose envelope is byte-identical
   * and sealed the same way (`tag`: local at its localVersion, or relay at its seen revision;
   * with the row's collection and id, the same AAD) opens to the same document, so
   * reading back what a pull just wrote skips AES-GCM. Anything else is decrypted. The cache
   * lives as long as the store (one sync connection, dropped when the vault locks).
   */
  const opened = new Map<string, { tag: string; env: Uint8Array; doc: SyncDoc }>();
  function remember(key: string, tag: string, env: Uint8Array, doc: SyncDoc) {
    opened.delete(key);
    opened.set(key, { tag, env, doc: structuredClone(doc) });
    if (opened.size > OPENED_CACHE_SIZE) {
      const oldest = opened.keys().next().value;
      if (oldest !== undefined) opened.delete(oldest);
    }
  }
  function recall(row: SyncRow): SyncDoc | undefined {
    const hit = opened.get(row.key);
    if (hit === undefined || row.env === undefined || hit.tag !== sealing(row).tag) {
      return undefined;
    }
    return sameBytes(hit.env, row.env) ? structuredClone(hit.doc) : undefined;
  }

  async function toRow(r: LocalRecord): Promise<SyncRow> {
    const row: SyncRow = {
      key: syncRowKey(r.collection, r.id),
      collection: r.collection,
      id: r.id,
      deleted: r.deleted ? 1 : 0,
      dirty: r.dirty ? 1 : 0,
      localVersion: r.localVersion,
      ...(r.seen === undefined ? {} : { seen: r.seen }),
    };
    const relay = relayCopy(r);
    if (relay !== undefined) {
      row.env = relay.envelope;
      row.sealed = 'relay';
      // Not remembered: the engine reports the value to the bridge as it commits, so nothing
      // reads a relay copy back in this session (a first sync would clone 10,000 documents).
    } else if (r.doc !== undefined) {
      const { ctx, tag } = sealing(row);
      row.env = await sealJson(key(r.collection, r.id), ctx, r.doc);
      remember(row.key, tag, row.env, r.doc);
    }
    return row;
  }

  async function fromRow(row: SyncRow): Promise<LocalRecord> {
    let doc: LocalRecord['doc'] = recall(row);
    if (doc === undefined && row.env !== undefined) {
      const { ctx, tag } = sealing(row);
      let raw: unknown;
      try {
        if (row.sealed === 'relay' && (row.seen === undefined || row.seen.deleted)) {
          throw new Error('A relay-sealed row has no live seen version.');
        }
        raw = await openJson(key(row.collection, row.id), ctx, row.env);
      } catch (cause) {
        throw new SyncError(
          'bad-record',
          'A locally stored sync record could not be decrypted.',
          { collection: row.collection, id: row.id },
          { cause },
        );
      }
      const kind = (raw as { kind?: unknown } | null)?.kind;
      doc = parseSyncDoc(raw, kind === 'fields' ? 'lww' : 'immutable');
      remember(row.key, tag, row.env, doc);
    }
    return {
      collection: row.collection,
      id: row.id,
      doc,
      deleted: row.deleted === 1,
      dirty: row.dirty === 1,
      localVersion: row.localVersion,
      seen: row.seen,
    };
  }

  return {
    isEmpty: () => backend.isEmpty(),
    async getRecord(collection, id) {
      const row = await backend.getRow(syncRowKey(collection, id));
      return row === undefined ? undefined : fromRow(row);
    },
    async getRecords(wanted) {
      const rows = await backend.getRows(wanted.map((k) => syncRowKey(k.collection, k.id)));
      return Promise.all(rows.map((row) => (row === undefined ? undefined : fromRow(row))));
    },
    async listRecords(collection) {
      const rows = await backend.listRows(collection === undefined ? {} : { collection });
      return Promise.all(rows.map(fromRow));
    },
    async listSeen() {
      // Plain columns only: no envelope is opened.
      return (await backend.listRows()).map((row) => ({
        collection: row.collection,
        id: row.id,
        seen: row.seen,
      }));
    },
    async listDirty(limit) {
      const filter = limit === undefined ? {} : { limit };
      return Promise.all((await backend.listRows({ dirty: true, ...filter })).map(fromRow));
    },
    listOutbox: () => backend.listOutbox(),
    getState: () => backend.getState(),
    async commit(change) {
      // Seal first: encryption is async and must not run inside the IndexedDB transaction
      // (a transaction auto-commits when it waits on anything but IndexedDB itself).
      const rows = await Promise.all((change.records ?? []).map(toRow));
      await backend.write({ ...change, rows });
    },
  };
}

/** In-memory {@link SyncRowBackend}; `rows` is exposed so tests can inspect ciphertext. */
export function createMemorySyncBackend(): SyncRowBackend & { rows: Map<string, SyncRow> } {
  const rows = new Map<string, SyncRow>();
  const outbox = new Map<string, OutboxOp>();
  let state: SyncState | undefined;
  return {
    rows,
    isEmpty: async () => rows.size === 0,
    getRow: async (k) => structuredClone(rows.get(k)),
    getRows: async (keys) => keys.map((k) => structuredClone(rows.get(k))),
    async listRows(filter = {}) {
      return [...rows.values()]
        .filter((r) => filter.collection === undefined || r.collection === filter.collection)
        .filter((r) => filter.dirty === undefined || r.dirty === 1)
        .slice(0, filter.limit)
        .map((r) => structuredClone(r));
    },
    listOutbox: async () => [...outbox.values()].map((o) => structuredClone(o)),
    getState: async () => structuredClone(state),
    async write(batch) {
      const copy = structuredClone(batch);
      for (const r of copy.rows ?? []) rows.set(r.key, r);
      for (const id of copy.outboxDelete ?? []) outbox.delete(id);
      for (const o of copy.outboxPut ?? []) outbox.set(o.opId, o);
      if (copy.state !== undefined) state = copy.state;
    },
  };
}
