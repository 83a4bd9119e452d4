/** The PostgreSQL backend, for several relay instances sharing one database. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createKyselyStore } from './kysely-store';
import { migrateToLatest } from './migrations';
import type { RelayDatabase } from './schema';
import type { RelayStore } from './types';

const INT8_OID = 20;

/**
 * pg returns int8 as strings (values can exceed 2^53). Ours are epoch ms, revisions and seqs,
 * all far below that, so parse them as numbers — per pool, without touching pg's globals.
 */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

const SAFE_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** Connection options; `schema` isolates tests (created if missing, used via search_path). */
export interface PostgresStoreOptions {
  url: string;
  schema?: string;
  poolSize?: number;
}

/** Builds a pg pool config for `url` (and optional schema) that the notifier can reuse. */
export function pgClientConfig(opts: PostgresStoreOptions): pg.ClientConfig {
  if (opts.schema !== undefined && !SAFE_SCHEMA.test(opts.schema)) {
    throw new Error('invalid PostgreSQL schema name');
  }
  return {
    connectionString: opts.url,
    types: pgTypes,
    ...(opts.schema === undefined ? {} : { options: `-c search_path=${opts.schema}` }),
  };
}

/** Opens (and migrates) the PostgreSQL store. */
export async function createPostgresStore(opts: PostgresStoreOptions): Promise<RelayStore> {
  const config = pgClientConfig(opts); // validates the schema name before it is used in SQL
  if (opts.schema !== undefined) {
    const admin = new pg.Client(pgClientConfig({ url: opts.url }));
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({ ...config, max: opts.poolSize ?? 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<RelayDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db as unknown as Kysely<unknown>, 'postgres');
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return createKyselyStore(db, 'postgres', () => db.destroy());
}
