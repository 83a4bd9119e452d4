import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kdf, login, makeApp, randomId, randomKey, refreshSession, signUp } from '../test-helpers';

const b64 = (n: number) => randomBytes(n).toString('base64');
const newAccountBody = () => ({
  accountId: randomId(),
  authKey: randomKey(),
  kdf,
  salt: b64(16),
  wrappedAccountKey: b64(60),
});

describe('accounts', () => {
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  let clock = Date.now();
  beforeAll(async () => {
    ({ app, cleanup } = await makeApp(
      {
        limits: { maxFailedLogins: 3, lockoutMs: 60_000 },
        tokens: { accessTtlMs: 60_000, refreshTtlMs: 600_000 },
      },
      { now: () => clock },
    ));
  });
  afterAll(() => cleanup());

  describe('POST /v1/accounts', () => {
    it('creates an account once; the same id again is 409', async () => {
      const body = newAccountBody();
      const res = await app.inject({ method: 'POST', url: '/v1/accounts', payload: body });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ accountId: body.accountId, createdAt: clock });
      const again = await app.inject({ method: 'POST', url: '/v1/accounts', payload: body });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('account-exists');
    });

    it.each([
      ['a short authKey', { authKey: b64(16) }],
      ['a 31-byte authKey (same base64 length as 32)', { authKey: b64(31) }],
      ['a non-base64 authKey', { authKey: '!'.repeat(44) }],
      ['an upper-case account id', { accountId: 'A'.repeat(32) }],
      ['a numeric account id', { accountId: 12345 }],
      ['another KDF', { kdf: { ...kdf, alg: 'pbkdf2' } }],
      ['a KDF below the floor', { kdf: { ...kdf, memoryKiB: 8 } }],
      ['a string iteration count', { kdf: { ...kdf, iterations: '3' } }],
      ['a 15-byte salt', { salt: b64(15) }],
      ['an unknown field', { admin: true }],
      ['a missing wrapped key', { wrappedAccountKey: undefined }],
    ])('rejects %s with 400', async (_name, patch) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        payload: { ...newAccountBody(), ...patch },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid-request');
      expect(res.json().error.message).toMatch(/^Invalid request: body/);
    });

    it('rejects malformed JSON, an empty body and an oversize body', async () => {
      const bad = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: { 'content-type': 'application/json' },
        payload: '{"accountId": ',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toBe('The request body is not valid JSON.');
      const empty = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: { 'content-type': 'application/json' },
        payload: '',
      });
      expect(empty.statusCode).toBe(400);
      const huge = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        payload: { ...newAccountBody(), wrappedAccountKey: b64(40_000) },
      });
      expect(huge.statusCode).toBe(413);
      expect(huge.json().error.code).toBe('payload-too-large');
    });
  });

  describe('POST /v1/prelogin', () => {
    it('returns the stored KDF parameters and salt', async () => {
      const body = newAccountBody();
      await app.inject({ method: 'POST', url: '/v1/accounts', payload: body });
      const res = await app.inject({
        method: 'POST',
        url: '/v1/prelogin',
        payload: { accountId: body.accountId },
      });
      expect(res.json()).toEqual({ kdf, salt: body.salt });
    });

    it('attack: unknown ids get stable, plausible fake parameters (existence not revealed)', async () => {
      const id = randomId();
      const a = await app.inject({
        method: 'POST',
        url: '/v1/prelogin',
        payload: { accountId: id },
      });
      const b = await app.inject({
        method: 'POST',
        url: '/v1/prelogin',
        payload: { accountId: id },
      });
      const other = await app.inject({
        method: 'POST',
        url: '/v1/prelogin',
        payload: { accountId: randomId() },
      });
      expect(a.statusCode).toBe(200);
      expect(a.json()).toEqual(b.json());
      expect(a.json().salt).not.toBe(other.json().salt);
      expect(Buffer.from(a.json().salt, 'base64')).toHaveLength(16);
      expect(a.json().kdf.alg).toBe('argon2id');
      expect(Object.keys(a.json()).sort()).toEqual(['kdf', 'salt']);
    });

    it('rejects a bad id with 400', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/prelogin',
        payload: { accountId: '../etc' },
      });
      expect(res.statusCode).toBe(400);
    });
  });

  describe('POST /v1/login', () => {
    it('returns a session plus the wrapped account key and KDF inputs', async () => {
      const acc = await signUp(app);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/login',
        payload: {
          accountId: acc.accountId,
          authKey: acc.authKey,
          device: { id: randomId(), name: 'Other' },
        },
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.wrappedAccountKey).toBe(acc.wrappedAccountKey);
      expect(body.salt).toBe(acc.salt);
      expect(body.session.accessToken).toMatch(/^nka_[A-Za-z0-9_-]{43}$/);
      expect(body.session.refreshToken).toMatch(/^nkr_[A-Za-z0-9_-]{43}$/);
      expect(body.session.accessExpiresAt).toBe(clock + 60_000);
    });

    it('attack: a wrong key and an unknown account get the same 401', async () => {
      const acc = await signUp(app);
      const wrong = await app.inject({
        method: 'POST',
        url: '/v1/login',
        payload: {
          accountId: acc.accountId,
          authKey: randomKey(),
          device: { id: randomId(), name: 'x' },
        },
      });
      const unknown = await app.inject({
        method: 'POST',
        url: '/v1/login',
        payload: {
          accountId: randomId(),
          authKey: randomKey(),
          device: { id: randomId(), name: 'x' },
        },
      });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json()).toEqual(unknown.json());
      expect(wrong.json().error.code).toBe('invalid-credentials');
    });

    it('attack: after repeated failures the account locks, even for the right key', async () => {
      const acc = await signUp(app);
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/login',
          payload: {
            accountId: acc.accountId,
            authKey: randomKey(),
            device: { id: randomId(), name: 'x' },
          },
        });
        expect(res.statusCode).toBe(401);
      }
      const right = await app.inject({
        method: 'POST',
        url: '/v1/login',
        payload: {
          accountId: acc.accountId,
          authKey: acc.authKey,
          device: { id: acc.deviceId, name: 'x' },
        },
      });
      expect(right.statusCode).toBe(429);
      expect(right.json().error.code).toBe('too-many-attempts');
      expect(right.headers['retry-after']).toBe('60');
      clock += 61_000;
      await expect(login(app, acc.accountId, acc.authKey)).resolves.toBeDefined();
      const audit = await app.inject({ method: 'GET', url: '/v1/audit', headers: acc.auth });
      // acc.auth was issued before the clock moved past its TTL: log in again to read the log.
      expect(audit.statusCode).toBe(401);
      const fresh = await login(app, acc.accountId, acc.authKey);
      const events = (await app.inject({ method: 'GET', url: '/v1/audit', headers: fresh.auth }))
        .json<{ entries: { event: string }[] }>()
        .entries.map((e) => e.event);
      expect(events.filter((e) => e === 'login-failed')).toHaveLength(3);
    });

    it('rejects a login without a device with 400', async () => {
      const acc = await signUp(app);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/login',
        payload: { accountId: acc.accountId, authKey: acc.authKey },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain('/device');
    });
  });

  describe('tokens', () => {
    it('refresh rotates the token pair', async () => {
      const acc = await signUp(app);
      const res = await refreshSession(app, acc.refreshToken);
      expect(res.statusCode).toBe(200);
      const s = res.json();
      expect(s.refreshToken).not.toBe(acc.refreshToken);
      const devices = await app.inject({
        method: 'GET',
        url: '/v1/devices',
        headers: { authorization: `Bearer ${s.accessToken}` },
      });
      expect(devices.statusCode).toBe(200);
    });

    it('attack: replaying a rotated refresh token revokes the whole family', async () => {
      const acc = await signUp(app);
      const other = await login(app, acc.accountId, acc.authKey);
      const first = await refreshSession(app, acc.refreshToken);
      const rotated = first.json();
      const replay = await refreshSession(app, acc.refreshToken);
      expect(replay.statusCode).toBe(401);
      expect(replay.json().error.code).toBe('token-reused');
      // The legitimate holder's new tokens die with the family...
      const next = await refreshSession(app, rotated.refreshToken);
      expect(next.statusCode).toBe(401);
      const access = await app.inject({
        method: 'GET',
        url: '/v1/devices',
        headers: { authorization: `Bearer ${rotated.accessToken}` },
      });
      expect(access.statusCode).toBe(401);
      // ...but another device's session is untouched, and sees the event.
      const audit = await app.inject({ method: 'GET', url: '/v1/audit', headers: other.auth });
      expect(audit.json().entries.map((e: { event: string }) => e.event)).toContain('token-reuse');
    });

    it('attack: forged, swapped-kind and expired tokens are 401', async () => {
      const acc = await signUp(app);
      const forged = await refreshSession(app, `nkr_${randomBytes(32).toString('base64url')}`);
      expect(forged.statusCode).toBe(401);
      const swapped = await refreshSession(app, acc.accessToken);
      expect(swapped.statusCode).toBe(401);
      const refreshAsAccess = await app.inject({
        method: 'GET',
        url: '/v1/devices',
        headers: { authorization: `Bearer ${acc.refreshToken}` },
      });
      expect(refreshAsAccess.statusCode).toBe(401);
      clock += 600_001;
      const expired = await refreshSession(app, acc.refreshToken);
      expect(expired.statusCode).toBe(401);
      expect(expired.json().error.code).toBe('token-expired');
      const expiredAccess = await app.inject({
        method: 'GET',
        url: '/v1/devices',
        headers: acc.auth,
      });
      expect(expiredAccess.json().error.code).toBe('token-expired');
    });

    it.each([
      ['no header', {}],
      ['a basic header', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['an empty bearer', { authorization: 'Bearer ' }],
      ['a forged bearer', { authorization: `Bearer nka_${randomBytes(32).toString('base64url')}` }],
    ])('signed-in routes answer %s with 401', async (_n, headers) => {
      const res = await app.inject({ method: 'GET', url: '/v1/sync/pull', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    });

    it('logout ends this session only', async () => {
      const acc = await signUp(app);
      const other = await login(app, acc.accountId, acc.authKey);
      const out = await app.inject({ method: 'POST', url: '/v1/logout', headers: acc.auth });
      expect(out.json()).toEqual({ ok: true });
      expect(
        (await app.inject({ method: 'GET', url: '/v1/devices', headers: acc.auth })).statusCode,
      ).toBe(401);
      const refresh = await refreshSession(app, acc.refreshToken);
      expect(refresh.statusCode).toBe(401);
      expect(
        (await app.inject({ method: 'GET', url: '/v1/devices', headers: other.auth })).statusCode,
      ).toBe(200);
    });
  });
});

describe('sign-up code', () => {
  it('attack: a relay with a sign-up code refuses sign-ups without the right one (403)', async () => {
    const { app, cleanup } = await makeApp({ signupSecret: 'correct horse battery' });
    try {
      for (const signupSecret of [undefined, 'wrong code', 'correct horse batter']) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/accounts',
          payload: { ...newAccountBody(), ...(signupSecret === undefined ? {} : { signupSecret }) },
        });
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      }
      const ok = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        payload: { ...newAccountBody(), signupSecret: 'correct horse battery' },
      });
      expect(ok.statusCode).toBe(201);
    } finally {
      await cleanup();
    }
  });
});

describe('per-account login limit', () => {
  it('attack: limits attempts per account id, known or unknown, across IPs', async () => {
    const { app, cleanup } = await makeApp({ limits: { loginPerAccountPerMinute: 2 } });
    try {
      for (const accountId of [(await signUp(app)).accountId, randomId()]) {
        const codes = [];
        for (let i = 0; i < 3; i++) {
          const res = await app.inject({
            method: 'POST',
            url: '/v1/login',
            remoteAddress: `127.0.0.${i + 1}`,
            payload: { accountId, authKey: randomKey(), device: { id: randomId(), name: 'x' } },
          });
          codes.push(res.statusCode);
        }
        // signUp's own login used one attempt of the known account's budget.
        expect(codes.slice(-1)).toEqual([429]);
      }
    } finally {
      await cleanup();
    }
  });
});
