import { Dexie, type Table } from 'dexie';

/** IndexedDB database name. */
export const DB_NAME = 'nook';

/**
 * Every content row. All user-visible fields live in `env` (an envelope sealed with the
 * collection key and `RecordContext { vaultId, collection, recordId: id, revision: rev,
 * deleted }`); the plain fields are only what indexes and sync need.
 */
export interface RecordRow {
  id: string;
  rev: number;
  deleted: 0 | 1;
  updatedAt: number;
  createdAt?: number;
  env: Uint8Array;
  /** messages only: the parent conversation. */
  conversationId?: string;
  /** ledger only: when the outbound request happened. */
  at?: number;
}

/** The plain `meta` table: vault header, pinned KDF, Secret Key, counters. No content. */
export interface MetaRow {
  key: string;
  value: unknown;
}

/** Tables holding encrypted records; their names equal the crypto `Collection`s. */
export const RECORD_TABLES = [
  'conversations',
  'messages',
  'memory',
  'settings',
  'secrets',
  'ledger',
  'personas',
  'prompts',
  'usage',
] as const;
export type RecordTableName = (typeof RECORD_TABLES)[number];

/**
 * Schema history. Each entry may only ADD tables or indexes (never drop or rename), so a
 * browser on any older version upgrades without losing ciphertext. Indexes are only on
 * ids, timestamps and parent ids. Add a new entry (and its test) for every change.
 */
export const SCHEMA_VERSIONS: readonly { version: number; stores: Record<string, string> }[] = [
  {
    version: 1,
    stores: {
      meta: 'key',
      conversations: 'id, updatedAt',
      messages: 'id, conversationId, createdAt',
      memory: 'id, updatedAt',
      settings: 'id',
      secrets: 'id',
      ledger: 'id, at',
      personas: 'id, updatedAt',
      prompts: 'id, updatedAt',
      usage: 'id, updatedAt',
    },
  },
  {
    // Sync (extension/core/sync-bridge): the engine's encrypted rows and outbox, and
    // `sync_local`, this device's encrypted relay config (never synced).
    version: 2,
    stores: {
      sync_records: 'key, collection, dirty',
      sync_outbox: 'opId',
      sync_local: 'id',
    },
  },
];

/** The typed database. */
export type NookDb = Dexie & { meta: Table<MetaRow, string> } & {
  [K in RecordTableName]: Table<RecordRow, string>;
};

/** Where IndexedDB comes from; tests pass fake-indexeddb's `IDBFactory`/`IDBKeyRange`. */
export interface DbOptions {
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  /** Apply only the first N schema versions (migration tests). */
  upToVersion?: number;
}

/** Opens (lazily) the `nook` database with every schema version applied. */
export function openNookDb(options: DbOptions = {}): NookDb {
  const { upToVersion, ...dexieOptions } = options;
  const db = new Dexie(DB_NAME, dexieOptions) as NookDb;
  for (const { version, stores } of SCHEMA_VERSIONS) {
    if (upToVersion !== undefined && version > upToVersion) break;
    db.version(version).stores(stores);
  }
  // Another page deletes the database ("Delete all data"): close for good. Dexie's default
  // closes with auto-open on, so this page's next query would recreate an empty database.
  // Returning false stops that default; upgrades (newVersion > 0) keep it.
  db.on('versionchange', (ev: IDBVersionChangeEvent) => {
    if (ev.newVersion) return undefined;
    db.close({ disableAutoOpen: true });
    return false;
  });
  return db;
}
