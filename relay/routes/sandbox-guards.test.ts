import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { createFakeRunner } from '../sandbox/fake-runner';
import { makeApp, signUp, type TestAccount } from '../test-helpers';

/** Sandbox routes when busy, when off, and what they keep out of the logs. */
type Inject = InjectOptions;

const upload = (app: FastifyInstance, acc: TestAccount, path: string, body: string) =>
  app.inject({
    method: 'PUT',
    url: `/v1/sandbox/files/${path}`,
    headers: { ...acc.auth, 'content-type': 'application/octet-stream' },
    payload: body,
  });

describe('sandbox routes: busy and off', () => {
  it('answers 429 with Retry-After and a plain message while the queue is full', async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const runner = createFakeRunner({ limits: { queueLength: 0 }, script: () => gate });
    const { app, cleanup } = await makeApp({}, { sandbox: { runner } });
    try {
      const acc = await signUp(app);
      const run = () =>
        app.inject({
          method: 'POST',
          url: '/v1/sandbox/run',
          headers: acc.auth,
          payload: { language: 'shell', code: 'sleep 1' },
        });
      const first = run();
      await vi.waitFor(() => expect(runner.runs.length).toBe(1));
      const busy = await run();
      expect(busy.statusCode).toBe(429);
      expect(busy.headers['retry-after']).toBe('2');
      expect(busy.json()).toMatchObject({
        error: { code: 'rate-limited', message: expect.stringMatching(/busy/), retryAfter: 2 },
      });
      release();
      expect((await first).statusCode).toBe(200);
      expect((await run()).statusCode).toBe(200);
    } finally {
      await cleanup();
    }
  });

  it('answers 503 "The sandbox is off on this relay: …" on every route when off', async () => {
    const { app, cleanup } = await makeApp();
    try {
      const acc = await signUp(app);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({
        sandbox: 'off',
      });
      for (const req of [
        { method: 'POST', url: '/v1/sandbox/run', payload: { language: 'shell', code: 'id' } },
        { method: 'GET', url: '/v1/sandbox/files' },
        { method: 'PUT', url: '/v1/sandbox/files/a.txt', payload: 'x'.repeat(10_000) },
        { method: 'GET', url: '/v1/sandbox/status' },
        { method: 'POST', url: '/v1/sandbox/reset' },
      ] satisfies Inject[]) {
        const res = await app.inject({
          ...req,
          headers: { ...acc.auth, 'content-type': 'application/octet-stream' },
        });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({
          error: {
            code: 'sandbox-off',
            message:
              'The sandbox is off on this relay: no sandbox image is configured (NOOK_SANDBOX_IMAGE).',
          },
        });
      }
      // Unauthenticated callers learn nothing more than 401.
      expect((await app.inject({ method: 'GET', url: '/v1/sandbox/status' })).statusCode).toBe(401);
    } finally {
      await cleanup();
    }
  });
});

describe('sandbox privacy', () => {
  it('attack: file names, code and output never reach the logs', async () => {
    let log = '';
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    const runner = createFakeRunner({
      script: (_a, _o, emit) => emit({ type: 'output', stream: 'stderr', data: 'out-canary' }),
    });
    const { app, cleanup } = await makeApp(
      { logLevel: 'trace' },
      { sandbox: { runner }, logStream },
    );
    try {
      const acc = await signUp(app);
      await upload(app, acc, 'name-canary/file-canary.txt', 'bytes-canary');
      await app.inject({
        method: 'GET',
        url: '/v1/sandbox/files/name-canary/file-canary.txt',
        headers: acc.auth,
      });
      await app.inject({
        method: 'GET',
        url: '/v1/sandbox/files/missing-canary.txt',
        headers: acc.auth,
      });
      const run = await app.inject({
        method: 'POST',
        url: '/v1/sandbox/run',
        headers: acc.auth,
        payload: { language: 'python', code: 'code-canary' },
      });
      expect(run.json()).toMatchObject({ stderr: 'out-canary' });
      expect(log).toContain('/v1/sandbox/files/[redacted]');
      expect(log).toContain('/v1/sandbox/run');
      expect(log).not.toMatch(/canary/);
    } finally {
      await cleanup();
    }
  });
});
