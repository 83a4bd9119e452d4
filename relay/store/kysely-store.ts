/**
 * The RelayStore implementation shared by both dialects. Only portable SQL is used here;
 * dialect differences live in migrations.ts and in the two small factory files.
 */
import type { Kysely } from 'kysely';
import type { KdfParams } from '../../shared/protocol';
import { createSyncQueries } from './kysely-sync';
import { isUniqueViolation, toAudit, toDevice, toRecord } from './rows';
import type { RelayDatabase } from './schema';
import {
  StoreError,
  type AccountRow,
  type RelayStore,
  type TokenKind,
  type TokenRow,
} from './types';

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

    async upsertDevice({ accountId, id, name, now: at }) {
      await db
        .insertInto('devices')
        .values({
          account_id: accountId,
          id,
          name,
          created_at: at,
          last_seen_at: at,
          last_synced_at: null,
        })
        .onConflict((oc) =>
          oc.columns(['account_id', 'id']).doUpdateSet({ name, last_seen_at: at }),
        )
        .execute();
    },

    async touchDevice(accountId, deviceId, at, synced) {
      await db
        .updateTable('devices')
        .set(synced ? { last_seen_at: at, last_synced_at: at } : { last_seen_at: at })
        .where('account_id', '=', accountId)
        .where('id', '=', deviceId)
        .execute();
    },

    async listDevices(accountId) {
      const rows = await db
        .selectFrom('devices')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toDevice);
    },

    async deleteDevice(accountId, deviceId, at) {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .deleteFrom('devices')
          .where('account_id', '=', accountId)
          .where('id', '=', deviceId)
          .executeTakeFirst();
        await trx
          .updateTable('tokens')
          .set({ revoked_at: at })
          .where('account_id', '=', accountId)
          .where('device_id', '=', deviceId)
          .where('revoked_at', 'is', null)
          .execute();
        return Number(r.numDeletedRows) > 0;
      });
    },

    async insertToken(t) {
      await db
        .insertInto('tokens')
        .values({
          hash: t.hash,
          account_id: t.accountId,
          device_id: t.deviceId,
          family_id: t.familyId,
          kind: t.kind,
          created_at: t.createdAt,
          expires_at: t.expiresAt,
          used_at: t.usedAt,
          revoked_at: t.revokedAt,
        })
        .execute();
    },

    async getToken(hash) {
      const r = await db
        .selectFrom('tokens')
        .selectAll()
        .where('hash', '=', hash)
        .executeTakeFirst();
      if (r === undefined) return undefined;
      const token: TokenRow = {
        hash: r.hash,
        accountId: r.account_id,
        deviceId: r.device_id,
        familyId: r.family_id,
        kind: r.kind as TokenKind,
        createdAt: Number(r.created_at),
        expiresAt: Number(r.expires_at),
        usedAt: r.used_at === null ? null : Number(r.used_at),
        revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
      };
      return token;
    },

    async markTokenUsed(hash, at) {
      const r = await db
        .updateTable('tokens')
        .set({ used_at: at })
        .where('hash', '=', hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async revokeFamily(accountId, familyId, at) {
      await db
        .updateTable('tokens')
        .set({ revoked_at: at })
        .where('account_id', '=', accountId)
        .where('family_id', '=', familyId)
        .where('revoked_at', 'is', null)
        .execute();
    },

    async revokeOtherFamilies(accountId, keepFamilyId, at) {
      await db
        .updateTable('tokens')
        .set({ revoked_at: at })
        .where('account_id', '=', accountId)
        .where('family_id', '!=', keepFamilyId)
        .where('revoked_at', 'is', null)
        .execute();
    },

    async deleteExpiredTokens(before) {
      const r = await db.deleteFrom('tokens').where('expires_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

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
