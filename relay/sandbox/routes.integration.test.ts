import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SandboxRunReply, WsServerMessage } from '../../shared/protocol';
import { spawnRelay } from '../spawn-relay';
import { makeApp, signUp, type TestAccount } from '../test-helpers';
import { openAuthed } from '../ws-test-client';
import { docker, nameOf, removeInstance, testInstance, testRunner } from './integration-helpers';
import type { SandboxRunner } from './runner';

/**
 * The whole path a user takes, against the real daemon and image: the relay app with the
 * Docker runner, HTTP over 127.0.0.1 and a real WebSocket.
 */
const image = inject('sandboxImage');
const instance = testInstance();
let runner: SandboxRunner;
let app: FastifyInstance;
let cleanup: () => Promise<void>;
let base: string;
let acc: TestAccount;

beforeAll(async () => {
  runner = testRunner(image, instance);
  ({ app, cleanup } = await makeApp({}, { sandbox: { runner } }));
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  acc = await signUp(app);
});
afterAll(async () => {
  await cleanup();
  await runner.close();
  removeInstance(instance);
});

const http = (path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, {
    ...init,
    headers: { ...acc.auth, ...(init.headers as Record<string, string> | undefined) },
  });

const run = async (code: string): Promise<SandboxRunReply> => {
  const res = await http('/v1/sandbox/run', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ language: 'python', code }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as SandboxRunReply;
};

describe('sandbox through the relay (real Docker)', () => {
  it('streams a Python run over the WebSocket as it is produced', async () => {
    const socket = await openAuthed(`${base.replace('http', 'ws')}/v1/ws`, acc.accessToken);
    try {
      socket.send({
        type: 'run',
        runId: 'py1',
        language: 'python',
        code: 'import sys, time\nprint("first", flush=True)\ntime.sleep(0.5)\nprint("oops", file=sys.stderr, flush=True)\nprint("second")',
      });
      const frames: WsServerMessage[] = [];
      for (;;) {
        const m = await socket.next();
        frames.push(m);
        if (m.type === 'end' || m.type === 'run-error') break;
      }
      // "first\n" streams before the sleep ends (Python may write it in two pieces): all
      // of it arrives before the stderr line printed after the sleep.
      const firstErr = frames.findIndex((f) => f.type === 'output' && f.stream === 'stderr');
      expect(firstErr).toBeGreaterThan(0);
      const before = frames.slice(0, firstErr);
      expect(before.every((f) => f.type === 'output' && f.stream === 'stdout')).toBe(true);
      expect(before.map((f) => (f.type === 'output' ? f.data : '')).join('')).toBe('first\n');
      const text = (stream: string) =>
        frames
          .filter((f) => f.type === 'output' && f.stream === stream)
          .map((f) => (f.type === 'output' ? f.data : ''))
          .join('');
      expect(text('stdout')).toBe('first\nsecond\n');
      expect(text('stderr')).toBe('oops\n');
      expect(frames.at(-1)).toMatchObject({
        type: 'end',
        runId: 'py1',
        exitCode: 0,
        timedOut: false,
      });
    } finally {
      socket.ws.close();
    }
  });

  it('uploads a CSV that code reads from the workspace', async () => {
    const csv = 'city,temp\nOslo,3\nLisbon,19\n';
    const put = await http('/v1/sandbox/files/data/temps.csv', {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: csv,
    });
    expect(put.status).toBe(200);
    const r = await run(
      'import pandas as pd\ndf = pd.read_csv("data/temps.csv")\nprint(df["temp"].sum(), len(df))',
    );
    expect(r.stdout).toBe('22 2\n');
    expect(r.exitCode).toBe(0);
  });

  it('downloads a matplotlib PNG the code wrote', async () => {
    const r = await run(
      [
        'import os',
        'import matplotlib',
        'matplotlib.use("Agg")',
        'import matplotlib.pyplot as plt',
        'os.makedirs("out", exist_ok=True)',
        'plt.plot([1, 2, 3], [3, 1, 2])',
        'plt.savefig("out/chart.png")',
        'print("saved")',
      ].join('\n'),
    );
    expect(r.stderr).not.toMatch(/Traceback/);
    expect(r.stdout).toContain('saved');
    const res = await http('/v1/sandbox/files/out/chart.png');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toContain('filename="chart.png"');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.length).toBeGreaterThan(1000);

    const list = await http('/v1/sandbox/files');
    const paths = ((await list.json()) as { files: { path: string }[] }).files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['data/temps.csv', 'out/chart.png']));
  });

  it('deleting the account removes its container and volume', async () => {
    const name = nameOf(instance, acc.accountId);
    expect(docker('ps', '-aq', '--filter', `name=^${name}$`)).not.toBe('');
    expect(docker('volume', 'ls', '-q', '--filter', `name=^${name}$`)).not.toBe('');
    const res = await http('/v1/account', {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authKey: acc.authKey }),
    });
    expect(res.status).toBe(200);
    expect(docker('ps', '-aq', '--filter', `name=^${name}$`)).toBe('');
    expect(docker('volume', 'ls', '-q', '--filter', `name=^${name}$`)).toBe('');
    // The token died with the account.
    expect((await http('/v1/sandbox/status')).status).toBe(401);
  });
});

describe('relay/server.ts with the sandbox on (real process, real Docker)', () => {
  it('logs "sandbox: on", reports it in /healthz and shuts down cleanly', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-srv-sbx-'));
    const serverInstance = testInstance();
    const relay = await spawnRelay({
      NOOK_RELAY_DATA_DIR: dir,
      NOOK_RELAY_PORT: '0',
      NOOK_RELAY_ARGON2_MEMORY_KIB: '64',
      NOOK_RELAY_ARGON2_ITERATIONS: '1',
      NOOK_SANDBOX_IMAGE: image,
      NOOK_SANDBOX_INSTANCE: serverInstance,
      ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
    });
    try {
      const health = await fetch(`${relay.url}/healthz`);
      expect(await health.json()).toMatchObject({ status: 'ok', sandbox: 'on' });
      expect(relay.output()).toContain(`sandbox: on (image ${image})`);
      relay.child.kill('SIGTERM');
      expect((await relay.exited).code).toBe(0);
    } finally {
      relay.child.kill('SIGTERM');
      removeInstance(serverInstance);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
