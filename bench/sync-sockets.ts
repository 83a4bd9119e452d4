/**
 * Idle authenticated WebSockets held by ONE relay process (spawned as a child: the relay's
 * bundle, SQLite in a temp dir, 127.0.0.1), with the relay's resident memory before and
 * after, per socket, and the push → notify fan-out to one account's sockets while all are
 * held. Sockets are spread over several accounts (one login each; each login costs an
 * Argon2id verify). Reported, never asserted.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { bundleRelay } from '../relay/spawn-relay';
import type { LoginReply } from '../shared/protocol';
import { percentile, round } from './stats';
import type { BenchResult } from './types';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WANTED = [5_000, 10_000];
const ACCOUNTS = 50;
const WAVE = 250; // sockets opened concurrently
const KIB = 1024;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

/** Resident memory of a process, in KiB (Linux). */
function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? Number.NaN);
}

/** Opens one socket, authenticates, resolves once `hello` arrived. */
function openAuthed(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.once('message', () => resolve(ws));
    ws.once('error', reject);
    ws.once('close', (code) => reject(new Error(`closed ${code} before hello`)));
  });
}

/** Runs the socket benchmark. */
export async function benchSyncSockets(): Promise<BenchResult[]> {
  // Our own descriptors bound how many client sockets this process can hold.
  const limit = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  const levels = WANTED.filter((n) => n + 500 <= limit);
  if (levels.length === 0) throw new Error(`ulimit -n is ${limit}; need at least 5,500`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-bench-sockets-'));
  fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  const entry = await bundleRelay();
  const port = await freePort();
  // The relay gets a raised descriptor limit where the hard limit allows it.
  const child = spawn(
    'sh',
    ['-c', 'ulimit -n 65536 2>/dev/null; exec "$0" "$@"', process.execPath, ...entry.args],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NOOK_RELAY_PORT: String(port),
        NOOK_RELAY_DATA_DIR: dataDir,
        NOOK_RELAY_LOG_LEVEL: 'warn',
        NOOK_RELAY_RATE_LIMIT_PER_MINUTE: '1000000',
        NOOK_RELAY_LOGIN_PER_IP_PER_MINUTE: '100000',
        NOOK_RELAY_LOGIN_PER_ACCOUNT_PER_MINUTE: '100000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const sockets: WebSocket[] = [];
  try {
    const base = `http://127.0.0.1:${port}`;
    for (;;) {
      const up = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (child.exitCode !== null) throw new Error('relay exited before listening');
      await new Promise((r) => setTimeout(r, 100));
    }
    const post = async <T>(url: string, body: unknown, token?: string): Promise<T> => {
      const res = await fetch(base + url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${url}: ${res.status}`);
      return (await res.json()) as T;
    };
    const tokens: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const accountId = randomBytes(16).toString('hex');
      const authKey = randomBytes(32).toString('base64');
      await post('/v1/accounts', {
        accountId,
        authKey,
        kdf: { alg: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4 },
        salt: randomBytes(16).toString('base64'),
        wrappedAccountKey: randomBytes(60).toString('base64'),
      });
      const login = await post<LoginReply>('/v1/login', {
        accountId,
        authKey,
        device: { id: randomBytes(16).toString('hex'), name: 'bench' },
      });
      tokens.push(login.session.accessToken);
    }
    const pid = child.pid!;
    await new Promise((r) => setTimeout(r, 500));
    const before = rssKiB(pid);
    const wsUrl = `ws://127.0.0.1:${port}/v1/ws`;
    const results: BenchResult[] = [];
    const openMs: number[] = [];
    for (const level of levels) {
      const t = performance.now();
      while (sockets.length < level) {
        const wave = Math.min(WAVE, level - sockets.length);
        const start = sockets.length;
        const opened = await Promise.all(
          Array.from({ length: wave }, async (_, i) => {
            const t0 = performance.now();
            const ws = await openAuthed(wsUrl, tokens[(start + i) % ACCOUNTS]!);
            openMs.push(performance.now() - t0);
            return ws;
          }),
        );
        sockets.push(...opened);
      }
      const secs = (performance.now() - t) / 1000;
      await new Promise((r) => setTimeout(r, 2000)); // let the relay settle
      const after = rssKiB(pid);
      results.push({
        name: `idle authenticated WebSockets held by one relay (${level})`,
        unit: 'KiB RSS / socket',
        value: round((after - before) / level, 1),
        note: `relay RSS ${round(before / KIB, 1)} → ${round(after / KIB, 1)} MiB; ${ACCOUNTS} accounts; opened in ${round(secs, 1)} s (${WAVE} at a time); target ≥ 5,000`,
      });
    }
    results.push({
      name: 'WebSocket connect + auth → hello (while filling)',
      unit: 'ms',
      p50: round(percentile(openMs, 50)),
      p95: round(percentile(openMs, 95)),
    });
    results.push(
      await fanOut(
        post,
        tokens[0]!,
        sockets.filter((_, i) => i % ACCOUNTS === 0),
      ),
    );
    return results;
  } finally {
    for (const ws of sockets) ws.terminate();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    entry.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Push → every socket of one account notified, while all the others stay open. */
async function fanOut(
  post: <T>(url: string, body: unknown, token?: string) => Promise<T>,
  token: string,
  mine: WebSocket[],
): Promise<BenchResult> {
  const ms: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    const all = Promise.all(mine.map((ws) => new Promise((r) => ws.once('message', r))));
    const id = `f${i}`;
    await post(
      '/v1/sync/push',
      {
        ops: [
          {
            opId: id,
            collection: 'messages',
            id,
            baseRevision: 0,
            revision: 1,
            deleted: false,
            envelope: randomBytes(256).toString('base64'),
          },
        ],
      },
      token,
    );
    await all;
    if (i >= 5) ms.push(performance.now() - t);
  }
  return {
    name: `push → all ${mine.length} sockets of the account notified (others held open)`,
    unit: 'ms',
    p50: round(percentile(ms, 50)),
    p95: round(percentile(ms, 95)),
    note: 'includes the HTTP push and its fsync',
  };
}
