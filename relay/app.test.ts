import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeApp } from './test-helpers';

describe('relay app basics', () => {
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ app, cleanup } = await makeApp());
  });
  afterAll(() => cleanup());

  it('GET /healthz reports ok, the protocol version and the backend', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      protocolVersion: 1,
      storage: 'sqlite',
      sandbox: 'off',
    });
  });

  it('sends security headers (helmet)', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['content-security-policy']).toBeDefined();
  });

  it('GET /openapi.json documents every route', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/healthz',
      '/v1/accounts',
      '/v1/prelogin',
      '/v1/login',
      '/v1/token/refresh',
      '/v1/logout',
      '/v1/devices',
      '/v1/devices/{id}',
      '/v1/audit',
      '/v1/account/passphrase',
      '/v1/account/export',
      '/v1/account',
      '/v1/sync/push',
      '/v1/sync/pull',
      '/v1/sync/manifest',
    ]) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
  });

  it('unknown routes get a JSON 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not-found', message: 'No route GET /v1/nope.' } });
  });

  it('non-JSON bodies get 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/prelogin',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported-media-type');
  });
});

describe('rate limits', () => {
  it('limits login-class routes per IP with 429 and retry-after', async () => {
    const { app, cleanup } = await makeApp({ limits: { loginPerIpPerMinute: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/prelogin',
          payload: { accountId: 'a'.repeat(32) },
        });
        codes.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(res.json().error.code).toBe('rate-limited');
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      expect(codes).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await cleanup();
    }
  });

  it('limits every route per IP', async () => {
    const { app, cleanup } = await makeApp({ limits: { ratePerMinute: 2 } });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++)
        codes.push((await app.inject({ method: 'GET', url: '/healthz' })).statusCode);
      expect(codes).toEqual([200, 200, 429]);
    } finally {
      await cleanup();
    }
  });
});

describe('extra route plugins', () => {
  it('registers them after the core routes, with app.relay and requireAuth available', async () => {
    const { requireAuth, sessionOf } = await import('./services');
    const { signUp } = await import('./test-helpers');
    const { app, cleanup } = await makeApp(
      {},
      {
        routes: [
          async (scope) => {
            scope.get('/v1/extra', { preHandler: requireAuth }, async (req) => ({
              mine: sessionOf(req).accountId,
              storage: scope.relay.store.kind,
            }));
          },
        ],
      },
    );
    try {
      const acc = await signUp(app);
      expect((await app.inject({ method: 'GET', url: '/v1/extra' })).statusCode).toBe(401);
      const res = await app.inject({ method: 'GET', url: '/v1/extra', headers: acc.auth });
      expect(res.json()).toEqual({ mine: acc.accountId, storage: 'sqlite' });
    } finally {
      await cleanup();
    }
  });
});
