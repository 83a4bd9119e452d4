/**
 * The one behavioural suite every RelayStore backend must pass (imported by
 * sqlite-store.test.ts and postgres-store.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError, type DecodedOp, type RelayStore, type TokenRow } from './types';

const id = () => randomBytes(16).toString('hex');
const bytes = (n = 48) => new Uint8Array(randomBytes(n));

async function newAccount(store: RelayStore): Promise<string> {
  const accountId = id();
  await store.createAccount({
    id: accountId,
    verifier: '$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA',
    kdf: { alg: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4 },
    salt: randomBytes(16).toString('base64'),
    wrappedAccountKey: randomBytes(60).toString('base64'),
    createdAt: 1000,
  });
  return accountId;
}

const op = (o: Partial<DecodedOp> & { id: string }): DecodedOp => ({
  opId: id(),
  collection: 'messages',
  baseRevision: 0,
  revision: 1,
  deleted: false,
  envelope: bytes(),
  ...o,
});

const token = (accountId: string, o: Partial<TokenRow> = {}): TokenRow => ({
  hash: id() + id(),
  accountId,
  deviceId: 'd'.repeat(32),
  familyId: 'f'.repeat(32),
  kind: 'refresh',
  createdAt: 1,
  expiresAt: 10_000,
  usedAt: null,
  revokedAt: null,
  ...o,
});

/** Registers the suite; `open` returns a fresh, migrated store. */
export function runStoreSuite(label: string, open: () => Promise<RelayStore>): void {
  describe(`RelayStore contract (${label})`, () => {
    let store: RelayStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    it('creates and reads an account; a taken id is a coded error', async () => {
      const a = await newAccount(store);
      const row = await store.getAccount(a);
      expect(row).toMatchObject({ id: a, seq: 0, failedLogins: 0, createdAt: 1000 });
      expect(row?.kdf).toEqual({
        alg: 'argon2id',
        memoryKiB: 65536,
        iterations: 3,
        parallelism: 4,
      });
      await expect(store.createAccount({ ...row!, createdAt: 2 })).rejects.toMatchObject({
        code: 'account-exists',
      });
      expect(await store.getAccount(id())).toBeUndefined();
    });

    it('replaces credentials on passphrase change', async () => {
      const a = await newAccount(store);
      const kdf = { alg: 'argon2id', memoryKiB: 32768, iterations: 6, parallelism: 4 } as const;
      await store.updateCredentials(a, {
        verifier: 'v2',
        kdf,
        salt: 'c2FsdA==',
        wrappedAccountKey: 'd3JhcA==',
      });
      expect(await store.getAccount(a)).toMatchObject({ verifier: 'v2', kdf, salt: 'c2FsdA==' });
    });

    it('counts login failures and locks at the threshold', async () => {
      const a = await newAccount(store);
      expect(await store.recordLoginFailure(a, 3, 5000)).toBe(1);
      expect(await store.recordLoginFailure(a, 3, 5000)).toBe(2);
      expect(await store.recordLoginFailure(a, 3, 5000)).toBe(3);
      expect((await store.getAccount(a))?.lockedUntil).toBe(5000);
      await store.resetLoginFailures(a);
      expect(await store.getAccount(a)).toMatchObject({ failedLogins: 0, lockedUntil: 0 });
    });

    it('upserts, touches, lists and deletes devices; deleting revokes their tokens', async () => {
      const a = await newAccount(store);
      const d1 = id();
      const d2 = id();
      await store.upsertDevice({ accountId: a, id: d1, name: 'Laptop', now: 10 });
      await store.upsertDevice({ accountId: a, id: d2, name: 'Desk', now: 20 });
      await store.upsertDevice({ accountId: a, id: d1, name: 'Laptop 2', now: 30 });
      await store.touchDevice(a, d2, 40, true);
      const list = await store.listDevices(a);
      expect(list.map((d) => [d.id, d.name, d.createdAt, d.lastSeenAt, d.lastSyncedAt])).toEqual([
        [d1, 'Laptop 2', 10, 30, null],
        [d2, 'Desk', 20, 40, 40],
      ]);
      const t = token(a, { deviceId: d1 });
      await store.insertToken(t);
      expect(await store.deleteDevice(a, d1, 50)).toBe(true);
      expect(await store.deleteDevice(a, d1, 50)).toBe(false);
      expect((await store.getToken(t.hash))?.revokedAt).toBe(50);
      expect(await store.listDevices(id())).toEqual([]);
    });

    it('stores tokens by hash; marking used succeeds once; families revoke together', async () => {
      const a = await newAccount(store);
      const t1 = token(a, { familyId: 'a'.repeat(32) });
      const t2 = token(a, { familyId: 'a'.repeat(32), kind: 'access' });
      const t3 = token(a, { familyId: 'b'.repeat(32) });
      for (const t of [t1, t2, t3]) await store.insertToken(t);
      expect(await store.getToken(t1.hash)).toEqual(t1);
      expect(await store.markTokenUsed(t1.hash, 5)).toBe(true);
      expect(await store.markTokenUsed(t1.hash, 6)).toBe(false);
      expect((await store.getToken(t1.hash))?.usedAt).toBe(5);
      await store.revokeFamily(a, 'a'.repeat(32), 7);
      expect((await store.getToken(t2.hash))?.revokedAt).toBe(7);
      expect((await store.getToken(t3.hash))?.revokedAt).toBeNull();
      await store.revokeOtherFamilies(a, 'a'.repeat(32), 8);
      expect((await store.getToken(t3.hash))?.revokedAt).toBe(8);
      expect((await store.getToken(t1.hash))?.revokedAt).toBe(7);
    });

    it('deletes expired tokens only', async () => {
      const a = await newAccount(store);
      const old = token(a, { expiresAt: 100 });
      const fresh = token(a, { expiresAt: 10_000_000_000_000 });
      await store.insertToken(old);
      await store.insertToken(fresh);
      expect(await store.deleteExpiredTokens(101)).toBeGreaterThanOrEqual(1);
      expect(await store.getToken(old.hash)).toBeUndefined();
      expect(await store.getToken(fresh.hash)).toBeDefined();
    });

    it('appends audit entries and lists them newest first, per account, with a cursor', async () => {
      const a = await newAccount(store);
      const b = await newAccount(store);
      for (const event of ['account-created', 'login', 'logout'] as const) {
        await store.appendAudit({ accountId: a, event, at: 1, deviceId: null, ipTag: 'tag' });
      }
      await store.appendAudit({ accountId: b, event: 'login', at: 1, deviceId: null, ipTag: null });
      const all = await store.listAudit(a, { limit: 10 });
      expect(all.map((e) => e.event)).toEqual(['logout', 'login', 'account-created']);
      const page = await store.listAudit(a, { limit: 10, before: all[0]!.id });
      expect(page.map((e) => e.event)).toEqual(['login', 'account-created']);
      expect(await store.listAudit(a, { limit: 1 })).toHaveLength(1);
    });

    it('push applies with compare-and-set and per-account growing seq', async () => {
      const a = await newAccount(store);
      const first = await store.push(a, [op({ id: 'r1' }), op({ id: 'r2' })]);
      expect(first.seq).toBe(2);
      expect(first.results.map((r) => [r.status, r.status === 'applied' && r.seq])).toEqual([
        ['applied', 1],
        ['applied', 2],
      ]);
      const env = bytes(32);
      const upd = await store.push(a, [
        op({ id: 'r1', baseRevision: 1, revision: 2, envelope: env }),
      ]);
      expect(upd.results[0]).toMatchObject({ status: 'applied', revision: 2, seq: 3 });
      // Stale base revision: conflict carrying the current server state.
      const stale = await store.push(a, [op({ id: 'r1', baseRevision: 1, revision: 2 })]);
      expect(stale.seq).toBe(3);
      const c = stale.results[0];
      expect(c?.status).toBe('conflict');
      if (c?.status !== 'conflict') throw new Error('expected a conflict');
      expect(c.current.revision).toBe(2);
      expect(c.current.seq).toBe(3);
      expect(Buffer.from(c.current.envelope!)).toEqual(Buffer.from(env));
      // Creating an existing record conflicts too.
      const dup = await store.push(a, [op({ id: 'r2' })]);
      expect(dup.results[0]?.status).toBe('conflict');
      // A base revision for a record that does not exist conflicts with revision 0.
      const ghost = await store.push(a, [op({ id: 'nope', baseRevision: 4, revision: 5 })]);
      expect(ghost.results[0]).toMatchObject({
        status: 'conflict',
        current: { revision: 0, seq: 0 },
      });
    });

    it('replayed op ids return the original result and write nothing', async () => {
      const a = await newAccount(store);
      const o = op({ id: 'r1' });
      const first = await store.push(a, [o]);
      const again = await store.push(a, [{ ...o, envelope: bytes() }, o]);
      expect(again.results).toEqual([first.results[0], first.results[0]]);
      expect(again.seq).toBe(1);
      const page = await store.pull(a, 0, 10);
      expect(Buffer.from(page.records[0]!.envelope!)).toEqual(Buffer.from(o.envelope!));
    });

    it('tombstones drop the old envelope', async () => {
      const a = await newAccount(store);
      await store.push(a, [op({ id: 'r1' })]);
      await store.push(a, [op({ id: 'r1', baseRevision: 1, revision: 2, deleted: true })]);
      const page = await store.pull(a, 0, 10);
      expect(page.records).toEqual([
        { collection: 'messages', id: 'r1', revision: 2, seq: 2, deleted: true },
      ]);
      const dump = await store.exportAccount(a);
      expect(dump?.records[0]?.envelope).toBeUndefined();
    });

    it('pull pages in seq order with cursor and hasMore, never across accounts', async () => {
      const a = await newAccount(store);
      const b = await newAccount(store);
      await store.push(
        a,
        [1, 2, 3, 4, 5].map((n) => op({ id: `r${n}` })),
      );
      await store.push(b, [op({ id: 'theirs' })]);
      await store.push(a, [op({ id: 'r2', baseRevision: 1, revision: 2 })]);
      const p1 = await store.pull(a, 0, 2);
      expect(p1.records.map((r) => r.id)).toEqual(['r1', 'r3']);
      expect(p1).toMatchObject({ cursor: 3, hasMore: true, seq: 6 });
      const p2 = await store.pull(a, p1.cursor, 10);
      expect(p2.records.map((r) => [r.id, r.seq])).toEqual([
        ['r4', 4],
        ['r5', 5],
        ['r2', 6],
      ]);
      expect(p2).toMatchObject({ cursor: 6, hasMore: false });
      const p3 = await store.pull(a, 6, 10);
      expect(p3).toMatchObject({ records: [], cursor: 6, hasMore: false });
      expect((await store.pull(b, 0, 10)).records.map((r) => r.id)).toEqual(['theirs']);
    });

    it('concurrent pushes to one account get unique, gap-free seqs', async () => {
      const a = await newAccount(store);
      const pushes = Array.from({ length: 8 }, (_, i) =>
        store.push(a, [op({ id: `c${i}a` }), op({ id: `c${i}b` })]),
      );
      const results = await Promise.all(pushes);
      const seqs = results.flatMap((r) =>
        r.results.map((x) => (x.status === 'applied' ? x.seq : -1)),
      );
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
      expect((await store.getAccount(a))?.seq).toBe(16);
    });

    it('push to an unknown account is a coded error and writes nothing', async () => {
      await expect(store.push(id(), [op({ id: 'x' })])).rejects.toBeInstanceOf(StoreError);
    });

    it('manifest counter must strictly increase', async () => {
      const a = await newAccount(store);
      expect(await store.getManifest(a)).toBeUndefined();
      await store.putManifest(a, { counter: 2, blob: 'AAAA', updatedAt: 1 });
      await expect(
        store.putManifest(a, { counter: 2, blob: 'BBBB', updatedAt: 2 }),
      ).rejects.toMatchObject({
        code: 'stale-manifest',
      });
      await expect(
        store.putManifest(a, { counter: 1, blob: 'BBBB', updatedAt: 2 }),
      ).rejects.toMatchObject({
        code: 'stale-manifest',
      });
      await store.putManifest(a, { counter: 3, blob: 'CCCC', updatedAt: 3 });
      expect(await store.getManifest(a)).toEqual({ counter: 3, blob: 'CCCC', updatedAt: 3 });
    });

    it('prunes old op ids (a pruned op id is treated as new)', async () => {
      const a = await newAccount(store);
      const o = op({ id: 'p1' });
      await store.push(a, [o]);
      expect(await store.pruneOpIds(Date.now() + 1000)).toBeGreaterThanOrEqual(1);
      const replay = await store.push(a, [o]);
      expect(replay.results[0]?.status).toBe('conflict');
    });

    it('exports everything held for the account and purges it without touching others', async () => {
      const a = await newAccount(store);
      const b = await newAccount(store);
      for (const acc of [a, b]) {
        await store.upsertDevice({ accountId: acc, id: id(), name: 'x', now: 1 });
        await store.insertToken(token(acc));
        await store.appendAudit({
          accountId: acc,
          event: 'login',
          at: 1,
          deviceId: null,
          ipTag: null,
        });
        await store.push(acc, [op({ id: 'r1' })]);
        await store.putManifest(acc, { counter: 1, blob: 'AAAA', updatedAt: 1 });
      }
      const dump = await store.exportAccount(a);
      expect(dump?.account.id).toBe(a);
      expect(dump?.devices).toHaveLength(1);
      expect(dump?.audit).toHaveLength(1);
      expect(dump?.records).toHaveLength(1);
      expect(dump?.manifest?.counter).toBe(1);

      expect(await store.purgeAccount(a)).toBe(true);
      expect(await store.purgeAccount(a)).toBe(false);
      expect(await store.getAccount(a)).toBeUndefined();
      expect(await store.exportAccount(a)).toBeUndefined();
      expect(await store.listDevices(a)).toEqual([]);
      expect(await store.listAudit(a, { limit: 10 })).toEqual([]);
      expect((await store.pull(a, 0, 10)).records).toEqual([]);
      expect(await store.getManifest(a)).toBeUndefined();
      // The other account is intact.
      const other = await store.exportAccount(b);
      expect(other?.records).toHaveLength(1);
      expect(other?.devices).toHaveLength(1);
    });
  });
}
