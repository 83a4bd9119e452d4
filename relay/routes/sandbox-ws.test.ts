import { afterEach, describe, expect, it } from 'vitest';
import type { WsServerMessage } from '../../shared/protocol';
import { createFakeRunner, type FakeRunScript } from '../sandbox/fake-runner';
import type { SandboxLimits } from '../sandbox/runner';
import { makeApp, signUp } from '../test-helpers';
import { openAuthed, openSocket, type TestSocket } from '../ws-test-client';
import { checkRunFrame } from './sandbox-ws';

const tick = () => new Promise<void>((r) => setImmediate(r));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An app with a fake runner, listening on 127.0.0.1, and a signed-in socket. */
async function setUp(o: { script?: FakeRunScript; limits?: Partial<SandboxLimits>; off?: true }) {
  const runner = createFakeRunner({
    ...(o.script ? { script: o.script } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
  });
  const { app, cleanup } = await makeApp({}, o.off ? {} : { sandbox: { runner } });
  cleanups.push(cleanup);
  const addr = await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `${addr.replace('http', 'ws')}/v1/ws`;
  const acc = await signUp(app);
  const socket = await openAuthed(url, acc.accessToken);
  cleanups.push(async () => socket.ws.close());
  return { app, runner, url, acc, socket };
}

/** Reads frames until the run's `end` or `run-error`. */
async function collect(s: TestSocket, runId: string): Promise<WsServerMessage[]> {
  const frames: WsServerMessage[] = [];
  for (;;) {
    const m = await s.next();
    frames.push(m);
    if ((m.type === 'end' || m.type === 'run-error') && m.runId === runId) return frames;
  }
}

const streaming: FakeRunScript = async (_a, _o, emit) => {
  emit({ type: 'output', stream: 'stdout', data: 'one\n' });
  await tick();
  emit({ type: 'output', stream: 'stderr', data: 'warning\n' });
  await tick();
  emit({ type: 'output', stream: 'stdout', data: 'two\n' });
  return { exitCode: 3 };
};

describe('WebSocket sandbox runs', () => {
  it('streams output frames in order and ends with `end`', async () => {
    const { socket, runner, acc } = await setUp({ script: streaming });
    socket.send({ type: 'run', runId: 'r1', language: 'python', code: 'x', timeoutMs: 5000 });
    const frames = await collect(socket, 'r1');
    expect(frames).toEqual([
      { type: 'output', runId: 'r1', stream: 'stdout', data: 'one\n' },
      { type: 'output', runId: 'r1', stream: 'stderr', data: 'warning\n' },
      { type: 'output', runId: 'r1', stream: 'stdout', data: 'two\n' },
      {
        type: 'end',
        runId: 'r1',
        exitCode: 3,
        signal: null,
        timedOut: false,
        oomKilled: false,
        outputTruncated: false,
        quotaExceeded: false,
        durationMs: expect.any(Number),
      },
    ]);
    // The run happened in the socket's own account.
    expect(runner.runs).toEqual([{ account: acc.accountId, language: 'python', code: 'x' }]);
  });

  it('queues a second run of the account behind the first (one at a time)', async () => {
    const { socket } = await setUp({ script: streaming });
    socket.send({ type: 'run', runId: 'a', language: 'shell', code: '1' });
    socket.send({ type: 'run', runId: 'b', language: 'shell', code: '2' });
    const frames = await collect(socket, 'b');
    const ids = frames.map((f) => ('runId' in f ? `${f.type}:${f.runId}` : f.type));
    expect(ids.indexOf('end:a')).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf('end:a')).toBeLessThan(ids.indexOf('output:b'));
  });

  it('carries a large run (60 KiB of code) past the small pre-auth frame limit', async () => {
    const { socket } = await setUp({});
    const code = `print("${'x'.repeat(60 * 1024)}")`;
    socket.send({ type: 'run', runId: 'big', language: 'python', code });
    const frames = await collect(socket, 'big');
    expect(frames.at(-1)).toMatchObject({ type: 'end', exitCode: 0 });
    expect(frames[0]).toMatchObject({ type: 'output', data: code });
  });

  it('answers `run-error` rate-limited when the queue is full', async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { socket } = await setUp({ script: () => gate, limits: { queueLength: 0 } });
    socket.send({ type: 'run', runId: 'first', language: 'shell', code: 'sleep 9' });
    socket.send({ type: 'run', runId: 'second', language: 'shell', code: 'true' });
    expect(await socket.next()).toEqual({
      type: 'run-error',
      runId: 'second',
      code: 'rate-limited',
      message: expect.stringMatching(/busy/),
    });
    release();
    expect(await socket.next()).toMatchObject({ type: 'end', runId: 'first' });
  });

  it('answers a malformed run with `run-error` and keeps the socket open', async () => {
    const { socket } = await setUp({});
    socket.send({ type: 'run', runId: 'bad', language: 'ruby', code: 'puts 1' });
    expect(await socket.next()).toMatchObject({
      type: 'run-error',
      runId: 'bad',
      code: 'invalid-request',
    });
    socket.send({ type: 'run', runId: 'bad2', language: 'shell', code: 'x', env: { A: '1' } });
    expect(await socket.next()).toMatchObject({ type: 'run-error', runId: 'bad2' });
    socket.send({ type: 'ping' });
    expect(await socket.next()).toEqual({ type: 'pong' });
  });

  it('refuses a second run with an id still in flight', async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { socket } = await setUp({ script: () => gate });
    socket.send({ type: 'run', runId: 'same', language: 'shell', code: '1' });
    socket.send({ type: 'run', runId: 'same', language: 'shell', code: '2' });
    expect(await socket.next()).toMatchObject({
      type: 'run-error',
      runId: 'same',
      code: 'invalid-request',
    });
    release();
    expect(await socket.next()).toMatchObject({ type: 'end', runId: 'same' });
  });

  it('closes with 4400 on a run without a usable id', async () => {
    const { socket } = await setUp({});
    socket.send({ type: 'run', runId: '../../x', language: 'shell', code: 'id' });
    expect((await socket.closed).code).toBe(4400);
  });

  it('attack: a large frame before auth closes the socket (4401)', async () => {
    const { url, runner } = await setUp({});
    const s = await openSocket(url);
    s.send({ type: 'auth', token: 'x'.repeat(8000) });
    expect((await s.closed).code).toBe(4401);
    expect(runner.runs).toEqual([]);
  });

  it('attack: a run before auth closes the socket (4401) and runs nothing', async () => {
    const { url, runner } = await setUp({});
    const s = await openSocket(url);
    s.send({ type: 'run', runId: 'r', language: 'shell', code: 'id' });
    expect((await s.closed).code).toBe(4401);
    expect(runner.runs).toEqual([]);
  });

  it('a run outlives a closed socket quietly; the account can run again', async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const { socket, url, acc, runner } = await setUp({
      script: () => (++calls === 1 ? gate : undefined),
    });
    socket.send({ type: 'run', runId: 'r', language: 'shell', code: 'sleep 1' });
    await expect.poll(() => runner.runs.length).toBe(1);
    socket.ws.close();
    await socket.closed;
    release();
    const again = await openAuthed(url, acc.accessToken);
    cleanups.push(async () => again.ws.close());
    again.send({ type: 'run', runId: 'r2', language: 'shell', code: 'echo' });
    expect((await collect(again, 'r2')).at(-1)).toMatchObject({ type: 'end', runId: 'r2' });
  });

  it('says the sandbox is off with `run-error` sandbox-off', async () => {
    const { socket } = await setUp({ off: true });
    socket.send({ type: 'run', runId: 'r', language: 'shell', code: 'id' });
    expect(await socket.next()).toEqual({
      type: 'run-error',
      runId: 'r',
      code: 'sandbox-off',
      message:
        'The sandbox is off on this relay: no sandbox image is configured (NOOK_SANDBOX_IMAGE).',
    });
  });
});

describe('checkRunFrame', () => {
  it('tells runs, malformed runs with a usable id, and other frames apart', () => {
    const run = { type: 'run', runId: 'a-1', language: 'javascript', code: '1', timeoutMs: 100 };
    expect(checkRunFrame(run)).toEqual({ kind: 'run', run });
    expect(checkRunFrame({ ...run, timeoutMs: 99 })).toEqual({ kind: 'bad-run', runId: 'a-1' });
    expect(checkRunFrame({ ...run, code: 7 })).toEqual({ kind: 'bad-run', runId: 'a-1' });
    expect(checkRunFrame({ ...run, runId: 'x'.repeat(65) })).toEqual({ kind: 'not-run' });
    expect(checkRunFrame({ type: 'ping' })).toEqual({ kind: 'not-run' });
    expect(checkRunFrame(null)).toEqual({ kind: 'not-run' });
  });
});
