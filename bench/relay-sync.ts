/**
 * Relay sync benchmarks on loopback against a real (SQLite) relay with production Argon2id
 * settings: push and pull throughput for 10,000 records, push → other socket notified
 * latency, and login cost next to a bare Argon2id hash of the same cost (the ratio shows the
 * relay's own overhead). Timings are reported, never asserted.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { argon2id } from 'hash-wasm';
import { buildApp } from '../relay/app';
import { loadConfig } from '../relay/config';
import { openAuthed } from '../relay/ws-test-client';
import type { LoginReply, PullReply, PushReply } from '../shared/protocol';
import { percentile, round, timeRuns } from './stats';
import type { BenchResult } from './types';

const RECORDS = 10_000;
const BATCH = 500;
const ENVELOPE_BYTES = 256; // one padding bucket (design.md §2)

/** Runs the relay sync benchmarks. */
export async function benchRelaySync(): Promise<BenchResult[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-bench-relay-'));
  const config = loadConfig({
    NOOK_RELAY_DATA_DIR: dataDir,
    NOOK_RELAY_PEPPER: randomBytes(32).toString('hex'),
    NOOK_RELAY_RATE_LIMIT_PER_MINUTE: '1000000',
    NOOK_RELAY_LOGIN_PER_IP_PER_MINUTE: '100000',
    NOOK_RELAY_LOGIN_PER_ACCOUNT_PER_MINUTE: '100000',
    NOOK_RELAY_LOG_LEVEL: 'silent',
  });
  const app = await buildApp(config);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const json = async <T>(url: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(base + url, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return (await res.json()) as T;
  };
  const results: BenchResult[] = [];
  try {
    const accountId = randomBytes(16).toString('hex');
    const authKey = randomBytes(32).toString('base64');
    await json('/v1/accounts', {
      method: 'POST',
      body: JSON.stringify({
        accountId,
        authKey,
        kdf: { alg: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4 },
        salt: randomBytes(16).toString('base64'),
        wrappedAccountKey: randomBytes(60).toString('base64'),
      }),
    });
    const login = (deviceId = randomBytes(16).toString('hex')) =>
      json<LoginReply>('/v1/login', {
        method: 'POST',
        body: JSON.stringify({ accountId, authKey, device: { id: deviceId, name: 'bench' } }),
      });

    // Login cost vs one bare Argon2id with the verifier's parameters.
    const loginMs = await timeRuns(10, () => login());
    const argonMs = await timeRuns(10, () =>
      argon2id({
        password: randomBytes(32),
        salt: randomBytes(16),
        secret: config.pepper,
        memorySize: config.argon2.memoryKiB,
        iterations: config.argon2.iterations,
        parallelism: config.argon2.parallelism,
        hashLength: 32,
        outputType: 'encoded',
      }),
    );
    const argonP50 = percentile(argonMs, 50);
    results.push({
      name: 'relay login (HTTP, Argon2id verify)',
      unit: 'ms',
      p50: round(percentile(loginMs, 50)),
      p95: round(percentile(loginMs, 95)),
      baseline: { name: 'bare Argon2id, same params', value: round(argonP50) },
      ratio: round(percentile(loginMs, 50) / argonP50),
      note: `m=${config.argon2.memoryKiB} KiB, t=${config.argon2.iterations}, p=${config.argon2.parallelism}`,
    });

    const writer = await login();
    const auth = { authorization: `Bearer ${writer.session.accessToken}` };
    const envelope = () => randomBytes(ENVELOPE_BYTES).toString('base64');

    // Push throughput: 10,000 records in batches of 500.
    let n = 0;
    const pushStart = performance.now();
    while (n < RECORDS) {
      const ops = Array.from({ length: BATCH }, () => {
        const id = `r${n++}`;
        return {
          opId: id,
          collection: 'messages',
          id,
          baseRevision: 0,
          revision: 1,
          deleted: false,
          envelope: envelope(),
        };
      });
      await json<PushReply>('/v1/sync/push', {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ ops }),
      });
    }
    const pushSec = (performance.now() - pushStart) / 1000;

    // Baseline: the same rows inserted straight into a bare SQLite file (same pragmas).
    const raw = new Database(path.join(dataDir, 'baseline.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec(
      'CREATE TABLE r (a TEXT, c TEXT, id TEXT, rev INT, seq INT, d INT, e BLOB, PRIMARY KEY (a, c, id))',
    );
    const ins = raw.prepare('INSERT INTO r VALUES (?, ?, ?, 1, ?, 0, ?)');
    const rawStart = performance.now();
    for (let b = 0; b < RECORDS / BATCH; b++) {
      raw.transaction(() => {
        for (let i = 0; i < BATCH; i++) {
          const k = b * BATCH + i;
          ins.run('acc', 'messages', `r${k}`, k, randomBytes(ENVELOPE_BYTES));
        }
      })();
    }
    const rawSec = (performance.now() - rawStart) / 1000;
    raw.close();
    results.push({
      name: `relay push throughput (${RECORDS} × ${ENVELOPE_BYTES} B, ${BATCH}/push)`,
      unit: 'records/s',
      value: round(RECORDS / pushSec, 0),
      baseline: {
        name: 'bare better-sqlite3 inserts, same batches',
        value: round(RECORDS / rawSec, 0),
      },
      ratio: round(rawSec / pushSec, 3),
    });

    // Pull throughput: everything, 1000 per page.
    const pullStart = performance.now();
    let since = 0;
    let pulled = 0;
    for (;;) {
      const page = await json<PullReply>(`/v1/sync/pull?since=${since}&limit=1000`, {
        headers: auth,
      });
      pulled += page.records.length;
      since = page.cursor;
      if (!page.hasMore) break;
    }
    const pullSec = (performance.now() - pullStart) / 1000;
    results.push({
      name: `relay pull throughput (${pulled} records, 1000/page)`,
      unit: 'records/s',
      value: round(pulled / pullSec, 0),
    });

    // Push on one device → notify on another device's socket.
    const reader = await login();
    const socket = await openAuthed(
      `${base.replace('http', 'ws')}/v1/ws`,
      reader.session.accessToken,
    );
    const latencies: number[] = [];
    for (let i = 0; i < 60; i++) {
      const id = `n${i}`;
      const t0 = performance.now();
      const got = socket.next();
      await json('/v1/sync/push', {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          ops: [
            {
              opId: id,
              collection: 'messages',
              id,
              baseRevision: 0,
              revision: 1,
              deleted: false,
              envelope: envelope(),
            },
          ],
        }),
      });
      await got;
      if (i >= 10) latencies.push(performance.now() - t0); // first 10 warm up
    }
    socket.ws.close();
    results.push({
      name: 'push → other device notified (WebSocket, loopback)',
      unit: 'ms',
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      note: 'includes the HTTP push round trip and its fsync (synchronous=FULL)',
    });
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
