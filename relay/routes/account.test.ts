import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  deleteAccount,
  kdf,
  login,
  makeApp,
  pushOp,
  randomKey,
  refreshSession,
  signUp,
} from '../test-helpers';

describe('signed-in account routes', () => {
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  const deleted: string[] = [];
  const hook = vi.fn(async (id: string) => {
    deleted.push(id);
  });
  beforeAll(async () => {
    ({ app, cleanup } = await makeApp({}, { onAccountDeleted: hook }));
  });
  afterAll(() => cleanup());

  describe('devices', () => {
    it('lists devices with the current one marked', async () => {
      const acc = await signUp(app);
      const other = await login(app, acc.accountId, acc.authKey);
      const res = await app.inject({ method: 'GET', url: '/v1/devices', headers: acc.auth });
      const devices = res.json().devices as { id: string; current: boolean; name: string }[];
      expect(devices.map((d) => [d.id, d.current]).sort()).toEqual(
        [
          [acc.deviceId, true],
          [other.deviceId, false],
        ].sort(),
      );
    });

    it('revoking a device ends its sessions and is audited', async () => {
      const acc = await signUp(app);
      const other = await login(app, acc.accountId, acc.authKey);
      const res = await app.inject({
        method: 'DELETE',
        url: `/v1/devices/${other.deviceId}`,
        headers: acc.auth,
      });
      expect(res.json()).toEqual({ ok: true });
      expect(
        (await app.inject({ method: 'GET', url: '/v1/devices', headers: other.auth })).statusCode,
      ).toBe(401);
      const refresh = await refreshSession(app, other.refreshToken);
      expect(refresh.statusCode).toBe(401);
      const audit = await app.inject({ method: 'GET', url: '/v1/audit', headers: acc.auth });
      expect(audit.json().entries[0]).toMatchObject({
        event: 'device-revoked',
        deviceId: other.deviceId,
      });
    });

    it("attack: another account's device id is 404 and stays signed in", async () => {
      const mine = await signUp(app);
      const theirs = await signUp(app);
      const res = await app.inject({
        method: 'DELETE',
        url: `/v1/devices/${theirs.deviceId}`,
        headers: mine.auth,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not-found');
      expect(
        (await app.inject({ method: 'GET', url: '/v1/devices', headers: theirs.auth })).statusCode,
      ).toBe(200);
    });

    it('rejects a malformed device id with 400', async () => {
      const acc = await signUp(app);
      const res = await app.inject({
        method: 'DELETE',
        url: '/v1/devices/..%2F..%2Fetc',
        headers: acc.auth,
      });
      expect(res.statusCode).toBe(400);
    });
  });

  describe('audit', () => {
    it('shows account events newest first with keyed IP tags, never IPs', async () => {
      const acc = await signUp(app);
      const res = await app.inject({ method: 'GET', url: '/v1/audit?limit=10', headers: acc.auth });
      const entries = res.json().entries as { event: string; ipTag: string }[];
      expect(entries.map((e) => e.event)).toEqual(['login', 'account-created']);
      expect(entries[0]!.ipTag).toMatch(/^[0-9a-f]{16}$/);
      expect(res.body).not.toContain('127.0.0.1');
    });

    it('pages with before=, and rejects bad query values', async () => {
      const acc = await signUp(app);
      const all = (await app.inject({ method: 'GET', url: '/v1/audit', headers: acc.auth })).json()
        .entries;
      const page = await app.inject({
        method: 'GET',
        url: `/v1/audit?before=${all[0].id}`,
        headers: acc.auth,
      });
      expect(page.json().entries.map((e: { id: number }) => e.id)).toEqual([all[1].id]);
      for (const q of ['limit=0', 'limit=501', 'limit=abc', 'before=-1', 'foo=1']) {
        const bad = await app.inject({ method: 'GET', url: `/v1/audit?${q}`, headers: acc.auth });
        expect(bad.statusCode, q).toBe(400);
      }
    });

    it("attack: never shows another account's events", async () => {
      const a = await signUp(app);
      const b = await signUp(app);
      const res = await app.inject({ method: 'GET', url: '/v1/audit', headers: a.auth });
      expect(res.body).not.toContain(b.deviceId);
    });
  });

  describe('passphrase change', () => {
    const change = (auth: { authorization: string }, currentAuthKey: string, newAuthKey: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/account/passphrase',
        headers: auth,
        payload: {
          currentAuthKey,
          newAuthKey,
          kdf: { ...kdf, memoryKiB: 32768, iterations: 6 },
          salt: randomBytes(16).toString('base64'),
          wrappedAccountKey: randomBytes(60).toString('base64'),
        },
      });

    it('replaces the verifier and wrapped key and ends other sessions', async () => {
      const acc = await signUp(app);
      const other = await login(app, acc.accountId, acc.authKey);
      const newKey = randomKey();
      const res = await change(acc.auth, acc.authKey, newKey);
      expect(res.json()).toEqual({ ok: true });
      expect(
        (await app.inject({ method: 'GET', url: '/v1/devices', headers: other.auth })).statusCode,
      ).toBe(401);
      expect(
        (await app.inject({ method: 'GET', url: '/v1/devices', headers: acc.auth })).statusCode,
      ).toBe(200);
      await expect(login(app, acc.accountId, acc.authKey)).rejects.toThrow(/login failed/);
      const fresh = await login(app, acc.accountId, newKey);
      const pre = await app.inject({
        method: 'POST',
        url: '/v1/prelogin',
        payload: { accountId: acc.accountId },
      });
      expect(pre.json().kdf.memoryKiB).toBe(32768);
      const audit = await app.inject({ method: 'GET', url: '/v1/audit', headers: fresh.auth });
      expect(audit.json().entries.map((e: { event: string }) => e.event)).toContain(
        'passphrase-changed',
      );
    });

    it('attack: a stolen access token alone cannot change the passphrase', async () => {
      const acc = await signUp(app);
      const res = await change(acc.auth, randomKey(), randomKey());
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('invalid-credentials');
      await expect(login(app, acc.accountId, acc.authKey)).resolves.toBeDefined();
    });

    it('rejects a body missing the new wrapped key with 400', async () => {
      const acc = await signUp(app);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/account/passphrase',
        headers: acc.auth,
        payload: {
          currentAuthKey: acc.authKey,
          newAuthKey: randomKey(),
          kdf,
          salt: randomBytes(16).toString('base64'),
        },
      });
      expect(res.statusCode).toBe(400);
    });
  });

  describe('export', () => {
    it('returns everything held for the account, audited', async () => {
      const acc = await signUp(app);
      const op = pushOp('r1');
      await app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: acc.auth,
        payload: { ops: [op] },
      });
      await app.inject({
        method: 'PUT',
        url: '/v1/sync/manifest',
        headers: acc.auth,
        payload: { counter: 1, blob: 'AAAA' },
      });
      const res = await app.inject({ method: 'GET', url: '/v1/account/export', headers: acc.auth });
      expect(res.statusCode).toBe(200);
      const dump = res.json();
      expect(dump.account).toMatchObject({
        id: acc.accountId,
        salt: acc.salt,
        wrappedAccountKey: acc.wrappedAccountKey,
        seq: 1,
      });
      expect(dump.records).toEqual([
        {
          collection: 'messages',
          id: 'r1',
          revision: 1,
          seq: 1,
          deleted: false,
          envelope: op.envelope,
        },
      ]);
      expect(dump.manifest).toMatchObject({ counter: 1, blob: 'AAAA' });
      expect(dump.devices).toHaveLength(1);
      expect(dump.audit.map((e: { event: string }) => e.event)).toEqual([
        'account-created',
        'login',
        'export',
      ]);
      expect(res.body).not.toContain('$argon2id$');
      expect(res.body).not.toContain(acc.authKey);
    });
  });

  describe('delete', () => {
    it('purges everything, calls the hook, and the tokens die', async () => {
      const acc = await signUp(app);
      await app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: acc.auth,
        payload: { ops: [pushOp('x')] },
      });
      const res = await deleteAccount(app, acc);
      expect(res.json()).toEqual({ ok: true });
      expect(deleted).toContain(acc.accountId);
      expect(
        (await app.inject({ method: 'GET', url: '/v1/sync/pull', headers: acc.auth })).statusCode,
      ).toBe(401);
      expect(await app.relay.store.exportAccount(acc.accountId)).toBeUndefined();
      expect(await app.relay.store.listAudit(acc.accountId, { limit: 10 })).toEqual([]);
      // Prelogin now answers like for any unknown id.
      const pre = await app.inject({
        method: 'POST',
        url: '/v1/prelogin',
        payload: { accountId: acc.accountId },
      });
      expect(pre.json().salt).not.toBe(acc.salt);
    });

    it('attack: a stolen access token alone cannot delete the account', async () => {
      const acc = await signUp(app);
      const res = await deleteAccount(app, acc, randomKey());
      expect(res.statusCode).toBe(401);
      expect(await app.relay.store.getAccount(acc.accountId)).toBeDefined();
    });

    it('keeps everything when the sandbox hook fails (503, retryable)', async () => {
      hook.mockRejectedValueOnce(new Error('docker down'));
      const acc = await signUp(app);
      const res = await deleteAccount(app, acc);
      expect(res.statusCode).toBe(503);
      expect(res.body).not.toContain('docker down');
      expect(await app.relay.store.getAccount(acc.accountId)).toBeDefined();
    });

    it('requires a body', async () => {
      const acc = await signUp(app);
      const res = await app.inject({ method: 'DELETE', url: '/v1/account', headers: acc.auth });
      expect(res.statusCode).toBe(400);
    });
  });
});
