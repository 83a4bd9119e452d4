/**
 * {@link SyncRowBackend} over Dexie. The lead wires it to two tables of the `nook` database
 * (see README: `sync_records: 'key, collection, dirty'`, `sync_outbox: 'opId'`) plus the
 * existing plain `meta` table, which holds the (content-free) sync state.
 */
import type { Dexie, Table } from 'dexie';
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
    async write(batch) {
      await db.transaction('rw', [t.records, t.outbox, t.meta], async () => {
        if (batch.rows !== undefined && batch.rows.length > 0) await t.records.bulkPut(batch.rows);
        if (batch.outboxDelete !== undefined && batch.outboxDelete.length > 0) {
          await t.outbox.bulkDelete(batch.outboxDelete);
        }
        if (batch.outboxPut !== undefined && batch.outboxPut.length > 0) {
          await t.outbox.bulkPut(batch.outboxPut);
        }
        if (batch.state !== undefined) {
          await t.meta.put({ key: SYNC_STATE_META_KEY, value: batch.state });
        }
      });
    },
  };
}
