/** Sync queries (records, op ids, manifests) shared by both dialects. */
import type { Kysely, Transaction } from 'kysely';
import { toBytes, toRecord } from './rows';
import type { RelayDatabase } from './schema';
import { StoreError, type DecodedOp, type RelayStore, type StoredPushResult } from './types';

type Db = Kysely<RelayDatabase> | Transaction<RelayDatabase>;
const now = () => Date.now();

/** The server copy of a record while a push is being applied. */
interface Current {
  revision: number;
  seq: number;
  deleted: boolean;
  envelope: Uint8Array | undefined;
}

const recordKey = (collection: string, id: string) => `${collection}\u0000${id}`;
/** Keeps IN lists well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 400;
function chunked<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
}

/** Results remembered for these op ids (replays). */
async function loadPriorResults(trx: Db, accountId: string, ops: readonly DecodedOp[]) {
  const prior = new Map<string, StoredPushResult>();
  for (const ids of chunked([...new Set(ops.map((o) => o.opId))])) {
    const rows = await trx
      .selectFrom('op_ids')
      .select(['op_id', 'result'])
      .where('account_id', '=', accountId)
      .where('op_id', 'in', ids)
      .execute();
    for (const r of rows) prior.set(r.op_id, JSON.parse(r.result) as StoredPushResult);
  }
  return prior;
}

/** Current server state of every record the ops touch, in a few queries instead of one per op. */
async function loadCurrent(trx: Db, accountId: string, ops: readonly DecodedOp[]) {
  const wanted = new Set(ops.map((o) => recordKey(o.collection, o.id)));
  const current = new Map<string, Current>();
  for (const ids of chunked([...new Set(ops.map((o) => o.id))])) {
    const rows = await trx
      .selectFrom('records')
      .select(['collection', 'id', 'revision', 'seq', 'deleted', 'envelope'])
      .where('account_id', '=', accountId)
      .where('id', 'in', ids)
      .execute();
    for (const r of rows) {
      const k = recordKey(r.collection, r.id);
      if (!wanted.has(k)) continue;
      current.set(k, {
        revision: Number(r.revision),
        seq: Number(r.seq),
        deleted: Number(r.deleted) === 1,
        envelope: toBytes(r.envelope),
      });
    }
  }
  return current;
}

/** The sync half of the RelayStore. */
export function createSyncQueries(
  db: Kysely<RelayDatabase>,
): Pick<RelayStore, 'push' | 'pull' | 'getManifest' | 'putManifest' | 'pruneOpIds'> {
  return {
    async push(accountId, ops) {
      return db.transaction().execute(async (trx) => {
        // Touching the account row first takes its row lock on PostgreSQL, serialising
        // concurrent pushes per account (SQLite transactions are serialised already).
        const acc = await trx
          .updateTable('accounts')
          .set({ last_push_at: now() })
          .where('id', '=', accountId)
          .returning('seq')
          .executeTakeFirst();
        if (acc === undefined) throw new StoreError('account-not-found', 'account not found');
        let seq = Number(acc.seq);
        const prior = await loadPriorResults(trx, accountId, ops);
        const current = await loadCurrent(trx, accountId, ops);
        const remembered: { op_id: string; result: string }[] = [];
        const results: StoredPushResult[] = [];
        for (const op of ops) {
          const replay = prior.get(op.opId);
          if (replay !== undefined) {
            results.push(replay);
            continue;
          }
          const k = recordKey(op.collection, op.id);
          const cur = current.get(k);
          if ((cur?.revision ?? 0) !== op.baseRevision) {
            // Conflicts are not remembered: a replay is re-evaluated and, since revisions
            // only grow, conflicts again with the then-current state.
            results.push({
              opId: op.opId,
              status: 'conflict',
              current: {
                revision: cur?.revision ?? 0,
                seq: cur?.seq ?? 0,
                deleted: cur?.deleted ?? false,
                ...(cur?.envelope === undefined ? {} : { envelope: cur.envelope }),
              },
            });
            continue;
          }
          seq += 1;
          // Tombstones drop the old ciphertext.
          const envelope = op.deleted ? undefined : op.envelope;
          const row = {
            revision: op.revision,
            seq,
            deleted: op.deleted ? 1 : 0,
            envelope: envelope ?? null,
          };
          if (cur === undefined) {
            await trx
              .insertInto('records')
              .values({ account_id: accountId, collection: op.collection, id: op.id, ...row })
              .execute();
          } else {
            await trx
              .updateTable('records')
              .set(row)
              .where('account_id', '=', accountId)
              .where('collection', '=', op.collection)
              .where('id', '=', op.id)
              .execute();
          }
          current.set(k, { revision: op.revision, seq, deleted: op.deleted, envelope });
          const result: StoredPushResult = {
            opId: op.opId,
            status: 'applied',
            revision: op.revision,
            seq,
          };
          prior.set(op.opId, result);
          remembered.push({ op_id: op.opId, result: JSON.stringify(result) });
          results.push(result);
        }
        const at = now();
        for (const part of chunked(remembered)) {
          await trx
            .insertInto('op_ids')
            .values(part.map((r) => ({ account_id: accountId, ...r, created_at: at })))
            .execute();
        }
        await trx.updateTable('accounts').set({ seq }).where('id', '=', accountId).execute();
        return { results, seq };
      });
    },

    async pull(accountId, since, limit) {
      const [rows, acc] = await Promise.all([
        db
          .selectFrom('records')
          .select(['collection', 'id', 'revision', 'seq', 'deleted', 'envelope'])
          .where('account_id', '=', accountId)
          .where('seq', '>', since)
          .orderBy('seq')
          .limit(limit + 1)
          .execute(),
        db.selectFrom('accounts').select('seq').where('id', '=', accountId).executeTakeFirst(),
      ]);
      const hasMore = rows.length > limit;
      const records = rows.slice(0, limit).map(toRecord);
      const last = records[records.length - 1];
      return {
        records,
        hasMore,
        cursor: last === undefined ? since : last.seq,
        seq: acc === undefined ? 0 : Number(acc.seq),
      };
    },

    async getManifest(accountId) {
      const r = await db
        .selectFrom('manifests')
        .selectAll()
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (r === undefined) return undefined;
      return { counter: Number(r.counter), blob: r.blob, updatedAt: Number(r.updated_at) };
    },

    async putManifest(accountId, m) {
      await db.transaction().execute(async (trx) => {
        // Conditional upsert: the row changes only when the counter grows, atomically.
        const r = await trx
          .insertInto('manifests')
          .values({
            account_id: accountId,
            counter: m.counter,
            blob: m.blob,
            updated_at: m.updatedAt,
          })
          .onConflict((oc) =>
            oc
              .column('account_id')
              .doUpdateSet({ counter: m.counter, blob: m.blob, updated_at: m.updatedAt })
              .where('manifests.counter', '<', m.counter),
          )
          .executeTakeFirst();
        if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) {
          throw new StoreError('stale-manifest', 'manifest counter must increase');
        }
      });
    },

    async pruneOpIds(before) {
      const r = await db.deleteFrom('op_ids').where('created_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
