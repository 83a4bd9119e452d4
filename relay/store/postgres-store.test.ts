import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from './postgres-store';
import { runStoreSuite } from './store-suite';
import { pgTestUrl } from './pg-test-env';

const url = pgTestUrl();
const schemas: string[] = [];

describe.skipIf(url === undefined)('postgres store', () => {
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin.end();
  });

  runStoreSuite('postgres', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return createPostgresStore({ url: url!, schema });
  });

  it('rejects an unsafe schema name before touching SQL', async () => {
    await expect(createPostgresStore({ url: url!, schema: 'x; DROP TABLE y' })).rejects.toThrow(
      /invalid PostgreSQL schema name/,
    );
  });
});
