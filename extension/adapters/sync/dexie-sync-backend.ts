/**
 * {@link SyncRowBackend} over Dexie. The lead wires it to two tables of the `nook` database
 * (see README: `sync_records: 'key, collection, dirty'`, `sync_outbox: 'opId'`) plus the
 * existing plain `meta` table, which holds the (content-free) sync state.
 */
import type { Dexie, Table } from 'dexie';
import { rawWrite } from '../db/raw-write';
import type { OutboxOp, SyncState } from '../../core/sync/ports';
import type { SyncRow, SyncRowBackend } from './encrypted-local-store';

/** The meta row key of the sync state. */
export const SYNC_STATE_META_KEY = 'syncState';

/** The tables the backend needs. */
export interface DexieSyncTables {
  records: Table<SyncRow, string>;
  outbox: Table<OutboxOp, string>;
  meta: Table<{ key: string; value: unknown }, string>;
}

/** Creates the backend; `write` runs in one read-write transaction over all three tables. */
export function createDexieSyncBackend(db: Dexie, t: DexieSyncTables): SyncRowBackend {
  return {
    // One key at most (a key cursor / getAllKeys with count 1): no row is read or counted.
    isEmpty: async () => (await t.records.limit(1).primaryKeys()).length === 0,
    getRow: (key) => t.records.get(key),
    getRows: (keys) => t.records.bulkGet([...keys]),
    listRows(filter = {}) {
      if (filter.dirty === true) {
        // Without a JS filter Dexie reads with one getAll (a filter forces a cursor).
        const byIndex = t.records.where('dirty').equals(1);
        const dirty =
          filter.collection === undefined
            ? byIndex
            : byIndex.filter((r) => r.collection === filter.collection);
        return (filter.limit === undefined ? dirty : dirty.limit(filter.limit)).toArray();
      }
      if (filter.collection !== undefined) {
        return t.records.where('collection').equals(filter.collection).toArray();
      }
      return t.records.toArray();
    },
    listOutbox: () => t.outbox.toArray(),
    async getState() {
      const row = await t.meta.get(SYNC_STATE_META_KEY);
      return row?.value as SyncState | undefined;
    },
    // Raw (rawWrite): a pulled page is 1,000 rows, and nothing observes these tables.
    write: (batch) =>
      rawWrite(db, [t.records.name, t.outbox.name, t.meta.name], (tx) => {
        const records = tx.objectStore(t.records.name);
        const outbox = tx.objectStore(t.outbox.name);
        for (const row of batch.rows ?? []) records.put(row);
        for (const opId of batch.outboxDelete ?? []) outbox.delete(opId);
        for (const op of batch.outboxPut ?? []) outbox.put(op);
        if (batch.state !== undefined) {
          tx.objectStore(t.meta.name).put({ key: SYNC_STATE_META_KEY, value: batch.state });
        }
      }),
  };
}
