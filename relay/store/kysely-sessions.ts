/** Device and token queries (who is signed in, on which device) shared by both dialects. */
import type { Kysely } from 'kysely';
import { toDevice } from './rows';
import type { RelayDatabase } from './schema';
import type { RelayStore, TokenKind, TokenRow } from './types';

type SessionQueries = Pick<
  RelayStore,
  | 'upsertDevice'
  | 'touchDevice'
  | 'listDevices'
  | 'deleteDevice'
  | 'insertToken'
  | 'getToken'
  | 'markTokenUsed'
  | 'revokeFamily'
  | 'revokeOtherFamilies'
  | 'deleteExpiredTokens'
>;

/** Builds the device and token half of the store over an open, migrated Kysely instance. */
export function createSessionQueries(db: Kysely<RelayDatabase>): SessionQueries {
  return {
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
  };
}
