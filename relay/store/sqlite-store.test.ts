import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from './sqlite-store';
import { runStoreSuite } from './store-suite';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

runStoreSuite('sqlite file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-store-'));
  dirs.push(dir);
  return createSqliteStore({ file: path.join(dir, 'relay.sqlite') });
});

describe('sqlite store file', () => {
  it('uses WAL mode, a 0600 file, and migrates an existing file idempotently', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-store-'));
    dirs.push(dir);
    const file = path.join(dir, 'relay.sqlite');
    const s1 = await createSqliteStore({ file });
    await s1.close();
    const s2 = await createSqliteStore({ file });
    await s2.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // The WAL header magic is written on first commit; the -wal file existing proves WAL mode.
    const header = fs.readFileSync(file).subarray(18, 20);
    expect([...header]).toEqual([2, 2]);
  });
});
