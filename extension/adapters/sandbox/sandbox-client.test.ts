/**
 * The sandbox client against the REAL relay app (relay/app.ts, temp SQLite, 127.0.0.1:0)
 * with the relay's fake runner: HTTP files/status/reset, WebSocket run streaming, and every
 * failure mapped to a typed error in plain words.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { makeApp, signUp } from '../../../relay/test-helpers';
import { createFakeRunner } from '../../../relay/sandbox/fake-runner';
import { createLedgerSockets } from '../../core/ledger/ledger-socket';
import type { LedgerEntry } from '../../core/ledger/types';
import { isSandboxError, type SandboxErrorCode } from '../../core/sandbox/errors';
import type { SandboxPort, SandboxSession } from '../../core/sandbox/ports';
import type { WebSocketLike } from '../sync/relay-socket';
import { createSandboxServices } from './index';
import { createSandboxClient, encodeWorkspacePath } from './sandbox-client';

const WS = WebSocket as unknown as new (url: string) => WebSocketLike;

let release: () => void = () => undefined;
const runner = createFakeRunner({
  limits: { workspaceQuotaBytes: 64 * 1024, maxUploadBytes: 32 * 1024 },
  async script(_account, o, emit) {
    if (o.code === 'hang') await new Promise<void>((r) => (release = r));
    if (o.code === 'streams') {
      emit({ type: 'output', stream: 'stdout', data: 'one\n' });
      emit({ type: 'output', stream: 'stderr', data: 'warn\n' });
      emit({ type: 'output', stream: 'stdout', data: 'two\n' });
      return { exitCode: 3 };
    }
    if (o.code === 'slow') return { timedOut: true, exitCode: null, signal: 'SIGKILL' };
    emit({ type: 'output', stream: 'stdout', data: o.code });
  },
});
let relay: Awaited<ReturnType<typeof makeApp>>;
let off: Awaited<ReturnType<typeof makeApp>>;
let baseUrl: string;
let offUrl: string;
let token: string;

const session = (url: string, tok: () => string): SandboxSession => ({
  baseUrl: url,
  accessToken: async () => tok(),
});
const clientOf = (s: SandboxSession | undefined): SandboxPort =>
  createSandboxClient({
    session: async () => s,
    openSocket: (url) => new WS(url),
    timeoutMs: 5000,
  });
const client = (s: SandboxSession = session(baseUrl, () => token)) => clientOf(s);

async function code(p: Promise<unknown>): Promise<SandboxErrorCode | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (!isSandboxError(e)) throw e;
    return e.code;
  }
}

beforeAll(async () => {
  relay = await makeApp({}, { sandbox: { runner, maxUploadBytes: 32 * 1024 } });
  baseUrl = await relay.app.listen({ host: '127.0.0.1', port: 0 });
  token = (await signUp(relay.app)).accessToken;
  off = await makeApp();
  offUrl = await off.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  release();
  await relay.cleanup();
  await off.cleanup();
});

describe('sandbox client', () => {
  it('streams a run over the WebSocket, in order, and reports how it ended', async () => {
    const seen: string[] = [];
    const end = await client().run({
      language: 'python',
      code: 'streams',
      onOutput: (stream, data) => seen.push(`${stream}:${data}`),
    });
    expect(seen).toEqual(['stdout:one\n', 'stderr:warn\n', 'stdout:two\n']);
    expect(end).toMatchObject({ exitCode: 3, timedOut: false, outputTruncated: false });
    const slow = await client().run({ language: 'shell', code: 'slow', timeoutMs: 1000 });
    expect(slow).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
  });

  it('records each run’s socket in the ledger: sandbox, its conversation, bytes both ways, no code', async () => {
    const entries: LedgerEntry[] = [];
    let wire = { sent: 0, received: 0 };
    const sockets = createLedgerSockets({
      base: (url) => {
        const ws = new WebSocket(url);
        const send = ws.send.bind(ws);
        ws.send = ((d: string) => {
          wire.sent += Buffer.byteLength(d);
          send(d);
        }) as typeof ws.send;
        ws.addEventListener('message', (e) => {
          wire.received += Buffer.byteLength(e.data as string);
        });
        return ws as unknown as WebSocketLike;
      },
      sink: { record: async (e) => void entries.push(e) },
      origin: 'panel',
    });
    const c = createSandboxClient({
      session: async () => session(baseUrl, () => token),
      openSocket: (url, run) => sockets.open(url, { purpose: 'sandbox', ...run }),
    });
    const seen: string[] = [];
    await c.run({
      language: 'python',
      code: 'streams',
      conversationId: 'conv-7',
      onOutput: (_s, d) => seen.push(d),
    });
    expect(seen).toEqual(['one\n', 'warn\n', 'two\n']);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      host: new URL(baseUrl).host,
      purpose: 'sandbox',
      kind: 'websocket',
      conversationId: 'conv-7',
      status: 101,
      bytesSent: wire.sent,
      bytesReceived: wire.received,
    });
    expect(wire.sent).toBeGreaterThan(0);
    expect(wire.received).toBeGreaterThan(0);
    expect(JSON.stringify(entries)).not.toContain('streams');
    expect(JSON.stringify(entries)).not.toContain(token);
    // A stopped run is recorded too (the socket is closed by us).
    wire = { sent: 0, received: 0 };
    const ac = new AbortController();
    const p = c.run({ language: 'shell', code: 'hang', signal: ac.signal });
    await vi.waitFor(() => expect(wire.received).toBeGreaterThan(0));
    ac.abort();
    expect(await code(p)).toBe('aborted');
    release();
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ purpose: 'sandbox', status: 101 });
    expect(entries[1]?.conversationId).toBeUndefined();
  });

  it('uploads, lists, downloads and deletes files, names with spaces and unicode included', async () => {
    const c = client();
    const bytes = new TextEncoder().encode('a,b\n1,2\n');
    await c.upload('data dir/größe #1.csv', bytes);
    const list = await c.listFiles();
    expect(list.files.map((f) => f.path)).toContain('data dir/größe #1.csv');
    expect(await c.download('data dir/größe #1.csv')).toEqual(bytes);
    await c.deleteFile('data dir/größe #1.csv');
    expect(await code(c.download('data dir/größe #1.csv'))).toBe('not-found');
    expect(await code(c.deleteFile('nope.txt'))).toBe('not-found');
  });

  it('refuses traversal before it reaches a URL, and the relay refuses what URLs allow', async () => {
    for (const bad of ['../etc/passwd', 'a/../../b', './x', '/abs', 'a//b', '', 'nul\u0000x']) {
      expect(() => encodeWorkspacePath(bad)).toThrow();
      expect(await code(client().upload(bad, new Uint8Array([1])))).toBe('bad-path');
    }
    // Percent-encoded by the client, rejected by the relay's strict path rules.
    expect(await code(client().upload('x'.repeat(300), new Uint8Array([1])))).toBe('rejected');
  });

  it('reports status and resets the sandbox to empty', async () => {
    const c = client();
    await c.upload('keep.txt', new Uint8Array([1, 2, 3]));
    const st = await c.status();
    expect(st.state).toBe('running');
    expect(st.usedBytes).toBeGreaterThan(0);
    expect(st.quotaBytes).toBe(64 * 1024);
    await c.reset();
    expect((await c.status()).state).toBe('absent');
    expect((await c.listFiles()).files).toEqual([]);
  });

  it('maps too-large and quota-exceeded uploads to their own errors', async () => {
    const c = client();
    expect(await code(c.upload('big.bin', new Uint8Array(40 * 1024)))).toBe('too-large');
    await c.upload('a.bin', new Uint8Array(30 * 1024));
    await c.upload('b.bin', new Uint8Array(30 * 1024));
    const e = await c.upload('c.bin', new Uint8Array(30 * 1024)).catch((x: unknown) => x);
    expect(isSandboxError(e, 'quota-exceeded')).toBe(true);
    expect((e as Error).message).toMatch(/workspace is full/i);
    await c.reset();
  });

  it('says busy (429) when the per-account queue is full', async () => {
    const c = client();
    const first = c.run({ language: 'shell', code: 'hang' });
    const queued = [1, 2].map(() => c.run({ language: 'shell', code: 'q' }));
    await new Promise((r) => setTimeout(r, 100));
    const e = await c.run({ language: 'shell', code: 'q' }).catch((x: unknown) => x);
    expect(isSandboxError(e, 'busy')).toBe(true);
    expect((e as Error).message).toMatch(/busy/i);
    release();
    await first;
    await Promise.all(queued);
  });

  it('stops waiting when aborted', async () => {
    const ac = new AbortController();
    const p = client().run({ language: 'shell', code: 'hang', signal: ac.signal });
    ac.abort();
    expect(await code(p)).toBe('aborted');
    release();
  });

  it('maps sandbox-off, not-connected, relay-down and unauthorized', async () => {
    const offToken = (await signUp(off.app)).accessToken;
    const offClient = client(session(offUrl, () => offToken));
    const e = await offClient.status().catch((x: unknown) => x);
    expect(isSandboxError(e, 'sandbox-off')).toBe(true);
    expect(await code(offClient.run({ language: 'shell', code: 'x' }))).toBe('sandbox-off');

    const none = clientOf(undefined);
    expect(await none.connected()).toBe(false);
    expect(await code(none.listFiles())).toBe('not-connected');

    const down = client(session('http://127.0.0.1:9', () => token));
    expect(await code(down.status())).toBe('relay-down');
    expect(await code(down.run({ language: 'shell', code: 'x' }))).toBe('relay-down');

    const bad = client(session(baseUrl, () => 'not-a-token'));
    expect(await code(bad.status())).toBe('unauthorized');
    expect(await code(bad.run({ language: 'shell', code: 'x' }))).toBe('unauthorized');

    const remote = client(session('http://example.com', () => token));
    expect(await code(remote.status())).toBe('rejected');
  });
});

describe('sandbox availability (what run_code is offered on)', () => {
  it('is on only while connected to a relay that runs a sandbox', async () => {
    expect(await client().sandboxOn()).toBe(true);
    const offToken = (await signUp(off.app)).accessToken;
    expect(await client(session(offUrl, () => offToken)).sandboxOn()).toBe(false);
    let connected: SandboxSession | undefined;
    const listeners = new Set<() => void>();
    const services = createSandboxServices({
      session: async () => connected,
      changes: (l) => (listeners.add(l), () => listeners.delete(l)),
    });
    expect(await services.availability.check()).toBe(false);
    expect(services.tools()).toEqual([]);
    connected = session(baseUrl, () => token);
    listeners.forEach((l) => l());
    await vi.waitFor(() => expect(services.tools().map((t) => t.spec.name)).toEqual(['run_code']));
    connected = session('http://127.0.0.1:9', () => token);
    expect(await services.availability.check()).toBe(false);
  });
});
