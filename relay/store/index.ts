/** Opens the store the config asks for: PostgreSQL when a URL is set, else SQLite. */
import path from 'node:path';
import { createPostgresStore } from './postgres-store';
import { createSqliteStore } from './sqlite-store';
import type { RelayStore } from './types';

export type { RelayStore } from './types';
export { StoreError } from './types';

/** Opens the configured backend. */
export async function openStore(opts: {
  dataDir: string;
  databaseUrl?: string | undefined;
}): Promise<RelayStore> {
  if (opts.databaseUrl !== undefined) return createPostgresStore({ url: opts.databaseUrl });
  return createSqliteStore({ file: path.join(opts.dataDir, 'relay.sqlite') });
}
