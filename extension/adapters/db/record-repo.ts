import {
  openJson,
  seal,
  sealJson,
  type Collection,
  type RecordContext,
  type RecoveredVault,
} from '../../../shared/crypto';
import {
  RecordError,
  type RecordQuery,
  type RecordRepo,
  type RecordResult,
} from '../../core/records/record-repo-port';
import type { RecordTable } from './record-table';
import type { RecordRow } from './schema';

/** Plain fields a collection needs for queries; everything else stays in the envelope. */
export type PlainIndexFields = Pick<RecordRow, 'createdAt' | 'conversationId' | 'at'>;

/** A {@link RecordRepo} that can also write many records at once (sync, import). */
export interface BulkRecordRepo<T> extends RecordRepo<T> {
  /**
   * Seals every value under its next revision and writes them all in one transaction; returns
   * the new revisions in the order given. An id may appear only once.
   */
  putMany(entries: readonly { id: string; value: T }[]): Promise<number[]>;
  /**
   * Writes records known to be new (a first sync) without reading first: each sealed as
   * revision 1, all in one transaction. If any id exists (live or deleted), nothing is written
   * and RecordError('exists') is thrown: use {@link putMany} instead. Returns the revisions.
   */
  addMany(entries: readonly { id: string; value: T }[]): Promise<number[]>;
  /**
   * Several live records in one read, opened concurrently, in the order asked: each the value
   * or the RecordError `get` would throw (not-found, deleted, decrypt-failed). Sync mirrors
   * changed records a page at a time with it.
   */
  getMany(
    ids: readonly string[],
  ): Promise<({ ok: true; value: T } | { ok: false; error: RecordError })[]>;
}

export interface RecordRepoOptions<T> {
  /** Derives the plain index fields from a value (ids and timestamps only). */
  index?: (value: T) => PlainIndexFields;
  now?: () => number;
}

/**
 * Encrypted repository for one collection. Each write bumps `rev` and seals the value
 * with the collection key under `RecordContext { vaultId, collection, recordId, revision,
 * deleted }`, so a swapped, replayed or rolled-back envelope fails to open.
 */
export function createRecordRepo<T>(
  table: RecordTable,
  collection: Collection,
  getVault: () => RecoveredVault,
  options: RecordRepoOptions<T> = {},
): BulkRecordRepo<T> {
  const now = options.now ?? Date.now;

  function vault(id?: string): RecoveredVault {
    try {
      return getVault();
    } catch (cause) {
      throw new RecordError('locked', id, { cause });
    }
  }

  function context(
    v: RecoveredVault,
    row: Pick<RecordRow, 'id' | 'rev' | 'deleted'>,
  ): RecordContext {
    return {
      vaultId: v.vaultId,
      collection,
      recordId: row.id,
      revision: row.rev,
      deleted: row.deleted === 1,
    };
  }

  async function decrypt(v: RecoveredVault, row: RecordRow): Promise<T> {
    try {
      return await openJson<T>(v.keys[collection], context(v, row), row.env);
    } catch (cause) {
      throw new RecordError('decrypt-failed', row.id, { cause });
    }
  }

  /** The next row for `value` after `existing` (sealed under the next revision). */
  async function nextRow(
    v: RecoveredVault,
    id: string,
    value: T,
    existing: RecordRow | undefined,
    at: number,
  ): Promise<RecordRow> {
    const rev = (existing?.rev ?? 0) + 1;
    const env = await sealJson(v.keys[collection], context(v, { id, rev, deleted: 0 }), value);
    return {
      id,
      rev,
      deleted: 0,
      updatedAt: at,
      ...(existing?.createdAt !== undefined ? { createdAt: existing.createdAt } : {}),
      ...options.index?.(value),
      env,
    };
  }

  return {
    async put(id, value) {
      const v = vault(id);
      const row = await nextRow(v, id, value, await table.get(id), now());
      await table.put(row);
      return row.rev;
    },

    async putMany(entries) {
      if (entries.length === 0) return [];
      const v = vault();
      const ids = entries.map((e) => e.id);
      if (new Set(ids).size !== ids.length) {
        throw new RangeError('putMany: each id may appear only once.');
      }
      const existing = await table.getMany(ids);
      const at = now();
      // Sealing is async WebCrypto: it runs before (never inside) the write transaction.
      const rows = await Promise.all(
        entries.map((e, i) => nextRow(v, e.id, e.value, existing[i], at)),
      );
      await table.putMany(rows);
      return rows.map((r) => r.rev);
    },

    async addMany(entries) {
      if (entries.length === 0) return [];
      const v = vault();
      const ids = entries.map((e) => e.id);
      if (new Set(ids).size !== ids.length) {
        throw new RangeError('addMany: each id may appear only once.');
      }
      const at = now();
      const rows = await Promise.all(entries.map((e) => nextRow(v, e.id, e.value, undefined, at)));
      await table.addMany(rows);
      return rows.map((r) => r.rev);
    },

    async getMany(ids) {
      const v = vault();
      const rows = await table.getMany(ids);
      return Promise.all(
        rows.map(async (row, i) => {
          const id = ids[i] ?? '';
          if (!row) return { ok: false as const, error: new RecordError('not-found', id) };
          if (row.deleted === 1) {
            return { ok: false as const, error: new RecordError('deleted', id) };
          }
          try {
            return { ok: true as const, value: await decrypt(v, row) };
          } catch (error) {
            if (error instanceof RecordError) return { ok: false as const, error };
            throw error;
          }
        }),
      );
    },

    async get(id) {
      const v = vault(id);
      const row = await table.get(id);
      if (!row) throw new RecordError('not-found', id);
      if (row.deleted === 1) throw new RecordError('deleted', id);
      return decrypt(v, row);
    },

    async list(query: RecordQuery = { kind: 'all' }, known) {
      const v = vault();
      const rows = (await table.query(query)).filter((r) => r.deleted === 0);
      return Promise.all(
        rows.map(async (row): Promise<RecordResult<T>> => {
          const seen = known?.get(row.id);
          if (seen?.ok && seen.rev === row.rev) return seen;
          const meta = { id: row.id, rev: row.rev, updatedAt: row.updatedAt };
          try {
            return { ok: true, ...meta, value: await decrypt(v, row) };
          } catch (error) {
            if (error instanceof RecordError) return { ok: false, ...meta, error };
            throw error;
          }
        }),
      );
    },

    async delete(id) {
      const v = vault(id);
      const existing = await table.get(id);
      if (!existing || existing.deleted === 1) return;
      const rev = existing.rev + 1;
      // The tombstone keeps no plain index fields and an empty sealed body: the old
      // ciphertext is overwritten, and the deletion itself is authenticated.
      const env = await seal(
        v.keys[collection],
        context(v, { id, rev, deleted: 1 }),
        new Uint8Array(0),
      );
      await table.put({ id, rev, deleted: 1, updatedAt: now(), env });
    },
  };
}
