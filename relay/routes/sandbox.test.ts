import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeRunner, type FakeRunner } from '../sandbox/fake-runner';
import { deleteAccount, makeApp, signUp, type TestAccount } from '../test-helpers';
import { attachmentHeader } from './sandbox';

type Inject = InjectOptions;

const upload = (app: FastifyInstance, acc: TestAccount, path: string, body: Buffer | string) =>
  app.inject({
    method: 'PUT',
    url: `/v1/sandbox/files/${path}`,
    headers: { ...acc.auth, 'content-type': 'application/octet-stream' },
    payload: body,
  });

describe('sandbox routes (fake runner)', () => {
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  let runner: FakeRunner;
  let alice: TestAccount;
  beforeAll(async () => {
    runner = createFakeRunner();
    ({ app, cleanup } = await makeApp({}, { sandbox: { runner, maxUploadBytes: 4096 } }));
    alice = await signUp(app);
  });
  afterAll(() => cleanup());

  it('GET /healthz says the sandbox is on', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.json()).toMatchObject({ status: 'ok', sandbox: 'on' });
  });

  it('POST /v1/sandbox/run returns the collected output and how the run ended', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/sandbox/run',
      headers: alice.auth,
      payload: { language: 'python', code: 'print(42)', timeoutMs: 5000 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      stdout: 'print(42)',
      stderr: '',
      exitCode: 0,
      signal: null,
      timedOut: false,
      outputTruncated: false,
    });
    expect(runner.runs.at(-1)).toEqual({
      account: alice.accountId,
      language: 'python',
      code: 'print(42)',
    });
  });

  it('rejects a run with an unknown language or extra fields (400)', async () => {
    for (const payload of [
      { language: 'ruby', code: '1' },
      { language: 'shell', code: 'ls', env: { A: '1' } },
      { language: 'shell', code: 'ls', timeoutMs: 10 },
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/sandbox/run',
        headers: alice.auth,
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid-request' } });
    }
  });

  it('uploads, lists, downloads and deletes a file', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10]);
    expect((await upload(app, alice, 'data/in.bin', bytes)).json()).toEqual({ ok: true });

    const list = await app.inject({ method: 'GET', url: '/v1/sandbox/files', headers: alice.auth });
    expect(list.json()).toMatchObject({
      files: [{ path: 'data/in.bin', type: 'file', size: 6 }],
      truncated: false,
    });

    const got = await app.inject({
      method: 'GET',
      url: '/v1/sandbox/files/data/in.bin',
      headers: alice.auth,
    });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(bytes)).toBe(true);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(got.headers['content-disposition']).toBe(
      `attachment; filename="in.bin"; filename*=UTF-8''in.bin`,
    );
    expect(got.headers['x-content-type-options']).toBe('nosniff');

    const del = await app.inject({
      method: 'DELETE',
      url: '/v1/sandbox/files/data/in.bin',
      headers: alice.auth,
    });
    expect(del.json()).toEqual({ ok: true });
    const gone = await app.inject({
      method: 'GET',
      url: '/v1/sandbox/files/data/in.bin',
      headers: alice.auth,
    });
    expect(gone.statusCode).toBe(404);
  });

  it('accepts long nested paths (up to the 1024-byte limit)', async () => {
    const path = `deep/${'d'.repeat(200)}/${'f'.repeat(200)}.txt`;
    expect((await upload(app, alice, path, 'long')).statusCode).toBe(200);
    const got = await app.inject({
      method: 'GET',
      url: `/v1/sandbox/files/${path}`,
      headers: alice.auth,
    });
    expect(got.body).toBe('long');
  });

  it('accepts percent-encoded non-ASCII names and keeps them out of the header raw', async () => {
    const name = encodeURIComponent('résumé "final".txt');
    expect((await upload(app, alice, name, 'x')).statusCode).toBe(200);
    const got = await app.inject({
      method: 'GET',
      url: `/v1/sandbox/files/${name}`,
      headers: alice.auth,
    });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-disposition']).toBe(
      `attachment; filename="r_sum___final_.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.txt`,
    );
  });

  it('refuses an upload that is not raw bytes (415)', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/v1/sandbox/files/a.txt',
      headers: alice.auth,
      payload: { content: 'aGk=' },
    });
    expect(res.statusCode).toBe(415);
  });

  it('GET /v1/sandbox/status reports state and usage', async () => {
    await upload(app, alice, 'five.txt', '12345');
    const res = await app.inject({
      method: 'GET',
      url: '/v1/sandbox/status',
      headers: alice.auth,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'running', quotaBytes: expect.any(Number) });
    expect(res.json<{ usedBytes: number }>().usedBytes).toBeGreaterThanOrEqual(5);
  });

  it('POST /v1/sandbox/reset empties the workspace', async () => {
    const acc = await signUp(app);
    await upload(app, acc, 'keep.txt', 'x');
    const res = await app.inject({ method: 'POST', url: '/v1/sandbox/reset', headers: acc.auth });
    expect(res.json()).toEqual({ ok: true });
    const list = await app.inject({ method: 'GET', url: '/v1/sandbox/files', headers: acc.auth });
    expect(list.json()).toEqual({ files: [], truncated: false });
    const status = await app.inject({
      method: 'GET',
      url: '/v1/sandbox/status',
      headers: acc.auth,
    });
    expect(status.json()).toMatchObject({ state: 'absent', usedBytes: null });
  });

  it("attack: another account's files are invisible, unreadable and undeletable", async () => {
    await upload(app, alice, 'secret.txt', 'alice only');
    const bob = await signUp(app);
    const list = await app.inject({ method: 'GET', url: '/v1/sandbox/files', headers: bob.auth });
    expect(list.json()).toEqual({ files: [], truncated: false });
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await app.inject({
        method,
        url: '/v1/sandbox/files/secret.txt',
        headers: bob.auth,
      });
      expect(res.statusCode).toBe(404);
    }
    const mine = await app.inject({
      method: 'GET',
      url: '/v1/sandbox/files/secret.txt',
      headers: alice.auth,
    });
    expect(mine.body).toBe('alice only');
  });

  it.each([
    ['parent segment', '..%2F..%2Fetc%2Fpasswd'],
    ['parent in the middle', 'a%2F..%2F..%2Fb'],
    ['absolute', '%2Fetc%2Fpasswd'],
    ['NUL', 'a%00b.txt'],
    ['control character', 'a%0Ab.txt'],
    ['backslash', '..%5C..%5Cx'],
    ['4 KB long', 'a'.repeat(4096)],
  ])('attack: a bad path (%s) is refused with 400 on every file route', async (_name, path) => {
    const requests: Inject[] = [
      {
        method: 'PUT',
        url: `/v1/sandbox/files/${path}`,
        headers: { ...alice.auth, 'content-type': 'application/octet-stream' },
        payload: 'x',
      },
      { method: 'GET', url: `/v1/sandbox/files/${path}`, headers: alice.auth },
      { method: 'DELETE', url: `/v1/sandbox/files/${path}`, headers: alice.auth },
    ];
    for (const req of requests) {
      const res = await app.inject(req);
      expect(res.statusCode, `${String(req.method)} ${path.slice(0, 40)}`).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid-request' } });
      // The path (user content) is never echoed back.
      if (path.length > 10) expect(res.body).not.toContain(path);
    }
    const list = await app.inject({ method: 'GET', url: '/v1/sandbox/files', headers: alice.auth });
    expect(JSON.stringify(list.json())).not.toContain('passwd');
  });

  it('attack: a literal ../ is resolved by URL parsing and never reaches a file route', async () => {
    for (const url of ['/v1/sandbox/files/../../etc/passwd', '/v1/sandbox/files/%2e%2e/x']) {
      const res = await app.inject({ method: 'GET', url, headers: alice.auth });
      expect([400, 404]).toContain(res.statusCode);
      expect(res.rawPayload.toString()).not.toContain('root:');
    }
  });

  it('refuses an upload over the size limit with 413 and stores nothing', async () => {
    const res = await upload(app, alice, 'big.bin', Buffer.alloc(4097));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'payload-too-large' } });
    const got = await app.inject({
      method: 'GET',
      url: '/v1/sandbox/files/big.bin',
      headers: alice.auth,
    });
    expect(got.statusCode).toBe(404);
  });

  it.each<Inject>([
    { method: 'POST', url: '/v1/sandbox/run', payload: { language: 'shell', code: 'id' } },
    { method: 'GET', url: '/v1/sandbox/files' },
    { method: 'PUT', url: '/v1/sandbox/files/a.txt', payload: 'x' },
    { method: 'GET', url: '/v1/sandbox/files/a.txt' },
    { method: 'DELETE', url: '/v1/sandbox/files/a.txt' },
    { method: 'GET', url: '/v1/sandbox/status' },
    { method: 'POST', url: '/v1/sandbox/reset' },
  ])('attack: $method $url without a token is 401 and reaches no runner', async (req) => {
    const before = runner.runs.length;
    const res = await app.inject({
      ...req,
      headers: { authorization: 'Bearer nka_forged', 'content-type': 'application/octet-stream' },
    });
    expect(res.statusCode).toBe(401);
    const bare = await app.inject(req);
    expect(bare.statusCode).toBe(401);
    expect(runner.runs.length).toBe(before);
  });

  it('account deletion removes the sandbox (removeAccount) before purging', async () => {
    const acc = await signUp(app);
    await upload(app, acc, 'x.txt', 'x');
    const spy = vi.spyOn(runner, 'removeAccount');
    const res = await deleteAccount(app, acc);
    expect(res.statusCode).toBe(200);
    expect(spy).toHaveBeenCalledWith(acc.accountId);
    expect(await runner.status(acc.accountId)).toMatchObject({ state: 'absent' });
    spy.mockRestore();
  });

  it('a failing removeAccount leaves the account in place (503) so the user can retry', async () => {
    const acc = await signUp(app);
    const spy = vi
      .spyOn(runner, 'removeAccount')
      .mockRejectedValueOnce(new Error('docker is down'));
    const res = await deleteAccount(app, acc);
    expect(res.statusCode).toBe(503);
    const still = await app.inject({ method: 'GET', url: '/v1/sandbox/files', headers: acc.auth });
    expect(still.statusCode).toBe(200);
    spy.mockRestore();
  });
});

describe('attachmentHeader', () => {
  it('keeps quotes, semicolons and non-ASCII out of the quoted name', () => {
    expect(attachmentHeader('out/a"b;c é.png')).toBe(
      `attachment; filename="a_b_c__.png"; filename*=UTF-8''a%22b%3Bc%20%C3%A9.png`,
    );
  });
});
