/** The default backend: one SQLite file (WAL mode) under the relay's data directory. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createKyselyStore } from './kysely-store';
import { migrateToLatest } from './migrations';
import type { RelayDatabase } from './schema';
import type { RelayStore } from './types';

/** Opens (creating and migrating) the SQLite store. `file` may be ':memory:' for tests. */
export async function createSqliteStore(opts: { file: string }): Promise<RelayStore> {
  if (opts.file !== ':memory:') {
    fs.mkdirSync(path.dirname(opts.file), { recursive: true, mode: 0o700 });
  }
  const sqlite = new Database(opts.file);
  // The file holds only ciphertext and peppered hashes, but keep it private anyway.
  if (opts.file !== ':memory:') fs.chmodSync(opts.file, 0o600);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged push survives power loss, not only a killed process.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted rows are overwritten with zeros, so purged ciphertext does not linger in free pages.
  sqlite.pragma('secure_delete = ON');
  const db = new Kysely<RelayDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db as unknown as Kysely<unknown>, 'sqlite');
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return createKyselyStore(db, 'sqlite', () => db.destroy());
}
