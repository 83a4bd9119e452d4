import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../store/sqlite-store';
import type { RelayStore } from '../store/types';
import { makeApp, signUp, testConfig } from '../test-helpers';

const forged = `nka_${randomBytes(32).toString('base64url')}`;
const guarded: InjectOptions[] = [
  { method: 'POST', url: '/v1/logout' },
  { method: 'GET', url: '/v1/devices' },
  { method: 'DELETE', url: `/v1/devices/${'a'.repeat(32)}` },
  { method: 'GET', url: '/v1/audit' },
  { method: 'POST', url: '/v1/account/passphrase', payload: {} },
  { method: 'GET', url: '/v1/account/export' },
  { method: 'DELETE', url: '/v1/account', payload: {} },
  { method: 'POST', url: '/v1/sync/push', payload: { ops: [] } },
  { method: 'GET', url: '/v1/sync/pull' },
  { method: 'PUT', url: '/v1/sync/manifest', payload: {} },
  { method: 'GET', url: '/v1/sync/manifest' },
];

describe('bearer guard on every signed-in route', () => {
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ app, cleanup } = await makeApp());
  });
  afterAll(() => cleanup());

  it.each(guarded.map((r) => [`${r.method} ${r.url}`, r] as const))(
    '%s: 401 without a token and with a forged one (before validating the body)',
    async (_n, route) => {
      for (const headers of [{}, { authorization: `Bearer ${forged}` }]) {
        const res = await app.inject({ ...route, headers });
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe('unauthorized');
      }
    },
  );

  it.each([
    ['a number', { refreshToken: 42 }],
    ['nothing', {}],
    ['an overlong token', { refreshToken: 'x'.repeat(500) }],
  ])('POST /v1/token/refresh with %s is 400', async (_n, payload) => {
    const res = await app.inject({ method: 'POST', url: '/v1/token/refresh', payload });
    expect(res.statusCode).toBe(400);
  });
});

describe('5xx responses hide internals', () => {
  it('answers a store failure with a generic 500 and a request id; the log has the cause', async () => {
    const config = testConfig({ logLevel: 'error' });
    const real = await createSqliteStore({ file: path.join(config.dataDir, 'relay.sqlite') });
    const broken: RelayStore = {
      ...real,
      listDevices: async () => {
        throw new Error('SQLITE_CORRUPT: database disk image is malformed at /secret/path');
      },
    };
    let log = '';
    const logStream = new Writable({
      write(chunk: Buffer, _e, done) {
        log += chunk.toString();
        done();
      },
    });
    const { buildApp } = await import('../app');
    const app = await buildApp(config, { store: broken, logStream });
    try {
      const acc = await signUp(app);
      const res = await app.inject({ method: 'GET', url: '/v1/devices', headers: acc.auth });
      expect(res.statusCode).toBe(500);
      const body = res.json();
      expect(body.error.code).toBe('internal');
      expect(body.error.requestId).toEqual(expect.any(String));
      expect(res.body).not.toMatch(/SQLITE|secret|stack/i);
      expect(log).toContain('SQLITE_CORRUPT');
    } finally {
      await app.close();
      await real.close();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    }
  });
});
