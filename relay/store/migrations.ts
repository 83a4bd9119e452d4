/**
 * Versioned, in-code migrations that run on both dialects. Never edit a shipped migration:
 * add a new one (names sort lexically, so keep the numeric prefix).
 */
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

export type Dialect = 'sqlite' | 'postgres';

function migrations(dialect: Dialect): Record<string, Migration> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  return {
    '0001_initial': {
      // Kysely's Migration type takes Kysely<any>; schema building needs no table types.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('accounts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('verifier', 'text', (c) => c.notNull())
          .addColumn('kdf', 'text', (c) => c.notNull())
          .addColumn('salt', 'text', (c) => c.notNull())
          .addColumn('wrapped_key', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('last_push_at', 'bigint', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .createTable('devices')
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
          .addColumn('last_synced_at', 'bigint')
          .addPrimaryKeyConstraint('devices_pk', ['account_id', 'id'])
          .execute();
        await db.schema
          .createTable('tokens')
          .addColumn('hash', 'text', (c) => c.primaryKey())
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('family_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('used_at', 'bigint')
          .addColumn('revoked_at', 'bigint')
          .execute();
        await db.schema
          .createIndex('tokens_account_family')
          .on('tokens')
          .columns(['account_id', 'family_id'])
          .execute();
        await db.schema.createIndex('tokens_expires').on('tokens').column('expires_at').execute();
        await (
          dialect === 'postgres'
            ? db.schema.createTable('audit').addColumn('id', 'bigserial', (c) => c.primaryKey())
            : db.schema
                .createTable('audit')
                .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        )
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('device_id', 'text')
          .addColumn('ip_tag', 'text')
          .execute();
        await db.schema
          .createIndex('audit_account')
          .on('audit')
          .columns(['account_id', 'id'])
          .execute();
        await db.schema
          .createTable('records')
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('collection', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('revision', 'bigint', (c) => c.notNull())
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('deleted', 'integer', (c) => c.notNull())
          .addColumn('envelope', binary)
          .addPrimaryKeyConstraint('records_pk', ['account_id', 'collection', 'id'])
          .execute();
        await db.schema
          .createIndex('records_account_seq')
          .on('records')
          .columns(['account_id', 'seq'])
          .unique()
          .execute();
        await db.schema
          .createTable('op_ids')
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('op_id', 'text', (c) => c.notNull())
          .addColumn('result', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('op_ids_pk', ['account_id', 'op_id'])
          .execute();
        await db.schema.createIndex('op_ids_created').on('op_ids').column('created_at').execute();
        await db.schema
          .createTable('manifests')
          .addColumn('account_id', 'text', (c) => c.primaryKey())
          .addColumn('counter', 'bigint', (c) => c.notNull())
          .addColumn('blob', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
  };
}

/** Brings the schema to the latest version; throws (with the failing migration) on error. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`relay database migration ${failed} failed`, { cause: error });
  }
}
