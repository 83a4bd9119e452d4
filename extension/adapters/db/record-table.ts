import type { Table } from 'dexie';
import { rawWrite } from './raw-write';
import { RecordError, type RecordQuery } from '../../core/records/record-repo-port';
import type { RecordRow } from './schema';

/** Raw row storage under a record repository: Dexie in the extension, a Map in tests. */
export interface RecordTable {
  get(id: string): Promise<RecordRow | undefined>;
  /** Several rows in one read, in the order asked; undefined where absent. */
  getMany(ids: readonly string[]): Promise<(RecordRow | undefined)[]>;
  put(row: RecordRow): Promise<void>;
  /** Writes several rows in one transaction: all of them or none. */
  putMany(rows: readonly RecordRow[]): Promise<void>;
  /**
   * Adds rows whose ids must be new, in one transaction, without reading first: all of them,
   * or none and RecordError('exists') when any id is already there (live or tombstone).
   */
  addMany(rows: readonly RecordRow[]): Promise<void>;
  query(query: RecordQuery): Promise<RecordRow[]>;
}

/** RecordTable over a Dexie table of the `nook` database. */
export function createDexieRecordTable(table: Table<RecordRow, string>): RecordTable {
  return {
    get: (id) => table.get(id),
    getMany: (ids) => table.bulkGet([...ids]),
    async put(row) {
      await table.put(row);
    },
    async putMany(rows) {
      // bulkPut runs in one implicit read-write transaction (one IndexedDB round).
      if (rows.length > 0) await table.bulkPut([...rows]);
    },
    async addMany(rows) {
      if (rows.length === 0) return;
      try {
        // One raw transaction (rawWrite): a failed add aborts it, so nothing is written. The
        // rows come from the sync bridge, which must not hear them back as local edits.
        await rawWrite(table.db, [table.name], (tx) => {
          const store = tx.objectStore(table.name);
          for (const row of rows) store.add(row);
        });
      } catch (cause) {
        const name = (cause as { name?: unknown } | null)?.name;
        if (name === 'ConstraintError') {
          throw new RecordError('exists', undefined, { cause });
        }
        throw cause;
      }
    },
    query(q) {
      switch (q.kind) {
        case 'all':
          return table.toArray();
        case 'equals':
          return table.where(q.index).equals(q.value).toArray();
        case 'between':
          return table.where(q.index).between(q.lower, q.upper, true, true).toArray();
      }
    },
  };
}

/** In-memory RecordTable; `rows` is exposed so attack tests can tamper with ciphertext. */
export function createMemoryRecordTable(): RecordTable & { rows: Map<string, RecordRow> } {
  const rows = new Map<string, RecordRow>();
  const field = (row: RecordRow, index: string): unknown =>
    (row as unknown as Record<string, unknown>)[index];
  return {
    rows,
    async get(id) {
      const row = rows.get(id);
      return row && { ...row, env: row.env.slice() };
    },
    async getMany(ids) {
      return ids.map((id) => {
        const row = rows.get(id);
        return row && { ...row, env: row.env.slice() };
      });
    },
    async put(row) {
      rows.set(row.id, { ...row, env: row.env.slice() });
    },
    async putMany(batch) {
      for (const row of batch) rows.set(row.id, { ...row, env: row.env.slice() });
    },
    async addMany(batch) {
      const ids = new Set(batch.map((r) => r.id));
      if (ids.size !== batch.length || batch.some((r) => rows.has(r.id))) {
        throw new RecordError('exists');
      }
      for (const row of batch) rows.set(row.id, { ...row, env: row.env.slice() });
    },
    async query(q) {
      const all = [...rows.values()].map((r) => ({ ...r, env: r.env.slice() }));
      if (q.kind === 'all') return all;
      if (q.kind === 'equals') return all.filter((r) => field(r, q.index) === q.value);
      return all.filter((r) => {
        const v = field(r, q.index);
        return typeof v === 'number' && v >= q.lower && v <= q.upper;
      });
    },
  };
}
