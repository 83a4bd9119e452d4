/**
 * The sync bridge's view of one collection of the `nook` database: revisions straight from
 * the Dexie table (nothing decrypted), values through the encrypted repo.
 */
import type { Table } from 'dexie';
import type { BridgeCollection, LocalRow } from '../../core/sync-bridge/bridge';
import type { BulkRecordRepo } from '../db/record-repo';
import type { RecordRow } from '../db/schema';

const localRow = (r: RecordRow): LocalRow => ({ id: r.id, rev: r.rev, deleted: r.deleted === 1 });

/** A {@link BridgeCollection} over `table` and the repo `repo` that seals it. */
export function dexieBridgeCollection(
  name: string,
  table: Table<RecordRow, string>,
  repo: BulkRecordRepo<unknown>,
): BridgeCollection {
  return {
    name,
    rows: async () => (await table.toArray()).map(localRow),
    async row(id) {
      const r = await table.get(id);
      return r === undefined ? undefined : localRow(r);
    },
    rowsOf: async (ids) => (await table.bulkGet([...ids])).map((r) => r && localRow(r)),
    read: (id) => repo.get(id),
    async readMany(ids) {
      return (await repo.getMany(ids)).map((r) => (r.ok ? r : { ok: false }));
    },
    write: (id, value) => repo.put(id, value),
    writeMany: (entries) => repo.putMany(entries),
    // New records (a first sync): no read; RecordError('exists') writes nothing.
    addMany: (entries) => repo.addMany(entries),
    async remove(id) {
      await repo.delete(id);
      const row = await table.get(id);
      return row?.deleted === 1 ? row.rev : undefined;
    },
  };
}
