import { sealJson, type RecoveredVault } from '../../../shared/crypto';
import { DataError } from '../../core/data/errors';
import type { ProgressListener } from '../../core/data/export-data';
import type { DataWriter, ImportCollection, ImportWrite } from '../../core/data/import-plan';
import type { NookDb, RecordRow, RecordTableName } from '../db/schema';

/** Which table each import collection lives in (providers are `secrets`). */
const TABLE: Record<ImportCollection, RecordTableName> = {
  conversations: 'conversations',
  messages: 'messages',
  memory: 'memory',
  personas: 'personas',
  usage: 'usage',
  providers: 'secrets',
  settings: 'settings',
};

/** The plain index fields repos.ts writes for each collection (kept identical). */
function indexFields(table: RecordTableName, v: Record<string, unknown>): Partial<RecordRow> {
  if (table === 'conversations') return { createdAt: v.createdAt as number };
  if (table === 'messages') {
    return { conversationId: v.conversationId as string, createdAt: v.createdAt as number };
  }
  return {};
}

/** One table's rows to put, with the revisions they were sealed against. */
export interface RowBatch {
  table: RecordTableName;
  rows: RecordRow[];
  /** Per row: the revision seen before sealing (undefined = did not exist). */
  expected: (number | undefined)[];
}

/** Raw row access with an all-or-nothing commit. */
export interface RowStore {
  read(table: RecordTableName, ids: string[]): Promise<(RecordRow | undefined)[]>;
  /** Checks every expected revision, then puts every row; nothing is written on a mismatch. */
  commit(batches: RowBatch[]): Promise<void>;
}

const mismatch = (current: RecordRow | undefined, expected: number | undefined) =>
  (current?.rev ?? undefined) !== expected;

/** RowStore over Dexie: the check and the writes share one read-write transaction. */
export function createDexieRowStore(db: NookDb): RowStore {
  return {
    read: (table, ids) => db[table].bulkGet(ids),
    async commit(batches) {
      const tables = [...new Set(batches.map((b) => db[b.table]))];
      try {
        await db.transaction('rw', tables, async () => {
          for (const b of batches) {
            const current = await db[b.table].bulkGet(b.rows.map((r) => r.id));
            if (current.some((row, i) => mismatch(row, b.expected[i]))) {
              throw new DataError('conflict');
            }
          }
          for (const b of batches) await db[b.table].bulkPut(b.rows);
        });
      } catch (e) {
        // Dexie may wrap what the transaction threw; surface our own error unchanged.
        const inner = (e as { inner?: unknown }).inner;
        throw inner instanceof DataError ? inner : e;
      }
    },
  };
}

/** RowStore over the in-memory tables of `createMemoryRepos` (tests, benchmarks). */
export function createMemoryRowStore(
  tableFor: (name: RecordTableName) => { rows: Map<string, RecordRow> },
): RowStore {
  return {
    async read(table, ids) {
      const rows = tableFor(table).rows;
      return ids.map((id) => rows.get(id));
    },
    async commit(batches) {
      // No await between the check and the writes: atomic on one JS thread.
      for (const b of batches) {
        const rows = tableFor(b.table).rows;
        if (b.rows.some((r, i) => mismatch(rows.get(r.id), b.expected[i]))) {
          throw new DataError('conflict');
        }
      }
      for (const b of batches) for (const r of b.rows) tableFor(b.table).rows.set(r.id, r);
    },
  };
}

/**
 * Seals every write exactly as the record repositories would (next revision, collection
 * key, RecordContext AAD, same plain index fields), then commits them all at once. Sealing
 * happens before the transaction because WebCrypto promises would end an IndexedDB one.
 */
export function createAtomicWriter(
  store: RowStore,
  getVault: () => RecoveredVault,
  now: () => number = Date.now,
): DataWriter {
  return {
    async apply(writes: readonly ImportWrite[], onProgress?: ProgressListener) {
      let vault: RecoveredVault;
      try {
        vault = getVault();
      } catch (cause) {
        throw new DataError('locked', undefined, { cause });
      }
      const grouped = new Map<RecordTableName, ImportWrite[]>();
      for (const w of writes) {
        const t = TABLE[w.collection];
        const list = grouped.get(t) ?? [];
        list.push(w);
        grouped.set(t, list);
      }
      const batches: RowBatch[] = [];
      let done = 0;
      for (const [table, list] of grouped) {
        const current = await store.read(
          table,
          list.map((w) => w.id),
        );
        const batch: RowBatch = { table, rows: [], expected: [] };
        for (const [i, w] of list.entries()) {
          const existing = current[i];
          const rev = (existing?.rev ?? 0) + 1;
          const env = await sealJson(
            vault.keys[table],
            {
              vaultId: vault.vaultId,
              collection: table,
              recordId: w.id,
              revision: rev,
              deleted: false,
            },
            w.value,
          );
          batch.rows.push({
            id: w.id,
            rev,
            deleted: 0,
            updatedAt: 0, // stamped just before the commit, below
            ...(existing?.createdAt !== undefined ? { createdAt: existing.createdAt } : {}),
            ...indexFields(table, w.value),
            env,
          });
          batch.expected.push(existing?.rev);
          if (++done % 250 === 0) onProgress?.({ phase: 'writing', done, total: writes.length });
        }
        batches.push(batch);
      }
      // `updatedAt` is the plain change time sync uses to find local changes (as repos.ts
      // writes it): stamp it after the (slow) sealing, right before the rows land, so an
      // import counts as changed after any sync pass that ran while it was being sealed.
      const at = now();
      for (const b of batches) for (const r of b.rows) r.updatedAt = at;
      await store.commit(batches);
      onProgress?.({ phase: 'writing', done: writes.length, total: writes.length });
    },
  };
}
