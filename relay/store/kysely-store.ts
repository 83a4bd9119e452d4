/**
 * The RelayStore implementation shared by both dialects. Only portable SQL is used here;
 * dialect differences live in migrations.ts and in the two small factory files.
 */
import type { Kysely } from 'kysely';
import type { KdfParams } from '../../shared/protocol';
import { createSessionQueries } from './kysely-sessions';
import { createSyncQueries } from './kysely-sync';
import { isUniqueViolation, toAudit, toRecord } from './rows';
import type { RelayDatabase } from './schema';
import { StoreError, type AccountRow, type RelayStore } from './types';

/** Builds the store over an open, migrated Kysely instance. `onClose` releases the driver. */
export function createKyselyStore(
  db: Kysely<RelayDatabase>,
  kind: RelayStore['kind'],
  onClose: () => Promise<void>,
): RelayStore {
  const store: RelayStore = {
    kind,

    async createAccount(a) {
      try {
        await db
          .insertInto('accounts')
          .values({
            id: a.id,
            verifier: a.verifier,
            kdf: JSON.stringify(a.kdf),
            salt: a.salt,
            wrapped_key: a.wrappedAccountKey,
            created_at: a.createdAt,
            seq: 0,
            failed_logins: 0,
            locked_until: 0,
            last_push_at: 0,
          })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new StoreError('account-exists', 'account id is taken');
        throw err;
      }
    },

    async getAccount(id) {
      const r = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
      if (r === undefined) return undefined;
      const account: AccountRow = {
        id: r.id,
        verifier: r.verifier,
        kdf: JSON.parse(r.kdf) as KdfParams,
        salt: r.salt,
        wrappedAccountKey: r.wrapped_key,
        createdAt: Number(r.created_at),
        seq: Number(r.seq),
        failedLogins: Number(r.failed_logins),
        lockedUntil: Number(r.locked_until),
      };
      return account;
    },

    async updateCredentials(id, c) {
      await db
        .updateTable('accounts')
        .set({
          verifier: c.verifier,
          kdf: JSON.stringify(c.kdf),
          salt: c.salt,
          wrapped_key: c.wrappedAccountKey,
        })
        .where('id', '=', id)
        .execute();
    },

    async recordLoginFailure(id, maxFailures, lockUntil) {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('accounts')
          .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
          .where('id', '=', id)
          .returning('failed_logins')
          .executeTakeFirst();
        const count = r === undefined ? 0 : Number(r.failed_logins);
        if (count >= maxFailures) {
          await trx
            .updateTable('accounts')
            .set({ locked_until: lockUntil, failed_logins: 0 })
            .where('id', '=', id)
            .execute();
        }
        return count;
      });
    },

    async resetLoginFailures(id) {
      await db
        .updateTable('accounts')
        .set({ failed_logins: 0, locked_until: 0 })
        .where('id', '=', id)
        .execute();
    },

    ...createSessionQueries(db),

    async appendAudit(e) {
      await db
        .insertInto('audit')
        .values({
          account_id: e.accountId,
          event: e.event,
          at: e.at,
          device_id: e.deviceId,
          ip_tag: e.ipTag,
        })
        .execute();
    },

    async listAudit(accountId, { limit, before }) {
      let q = db.selectFrom('audit').selectAll().where('account_id', '=', accountId);
      if (before !== undefined) q = q.where('id', '<', before);
      const rows = await q.orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toAudit);
    },

    ...createSyncQueries(db),

    async exportAccount(accountId) {
      const account = await store.getAccount(accountId);
      if (account === undefined) return undefined;
      const [devices, audit, records, manifest] = await Promise.all([
        store.listDevices(accountId),
        db
          .selectFrom('audit')
          .selectAll()
          .where('account_id', '=', accountId)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('records')
          .select(['collection', 'id', 'revision', 'seq', 'deleted', 'envelope'])
          .where('account_id', '=', accountId)
          .orderBy('seq')
          .execute(),
        store.getManifest(accountId),
      ]);
      return {
        account,
        devices,
        audit: audit.map(toAudit),
        records: records.map(toRecord),
        manifest,
      };
    },

    async purgeAccount(accountId) {
      return db.transaction().execute(async (trx) => {
        for (const table of [
          'records',
          'op_ids',
          'manifests',
          'tokens',
          'devices',
          'audit',
        ] as const) {
          await trx.deleteFrom(table).where('account_id', '=', accountId).execute();
        }
        const r = await trx.deleteFrom('accounts').where('id', '=', accountId).executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      });
    },

    close: onClose,
  };
  return store;
}
