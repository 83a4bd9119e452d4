/**
 * PostgreSQL test gate. `NOOK_TEST_PG_URL` points at a throwaway database (scripts/pg.sh).
 * Without it the PostgreSQL tests are skipped with a warning — unless `NOOK_REQUIRE_PG=1`
 * (set by `npm test`), where a missing database must fail loudly instead of going green.
 */
export function pgTestUrl(): string | undefined {
  const url = process.env.NOOK_TEST_PG_URL;
  if (url !== undefined && url !== '') return url;
  if (process.env.NOOK_REQUIRE_PG === '1') {
    throw new Error(
      'NOOK_REQUIRE_PG=1 but NOOK_TEST_PG_URL is not set: start PostgreSQL with ' +
        '`scripts/pg.sh start DIR PORT` and export the URL it prints.',
    );
  }
  console.warn('NOOK_TEST_PG_URL is not set: skipping the PostgreSQL relay tests.');
  return undefined;
}
