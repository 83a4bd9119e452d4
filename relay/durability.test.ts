/**
 * Crash durability: the real relay process is SIGKILLed in the middle of concurrent pushes,
 * again and again, on one SQLite file. Afterwards no acknowledged record may be lost and no
 * record may exist twice. Loops: NOOK_DURABILITY_LOOPS (default 20; CI soak: 100).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullReply, PushReply } from '../shared/protocol';
import { bundleRelay, spawnRelay, type RelayEntry, type RelayProcess } from './spawn-relay';

const LOOPS = Number(process.env.NOOK_DURABILITY_LOOPS ?? 20);
const WRITERS = 3;
const BATCH = 5;

interface Op {
  opId: string;
  collection: string;
  id: string;
  baseRevision: number;
  revision: number;
  deleted: boolean;
  envelope: string;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-durable-'));
let entry: RelayEntry;
beforeAll(async () => {
  entry = await bundleRelay();
});
afterAll(() => {
  entry.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});
const start = () => spawnRelay(env, entry.args);

const env = {
  NOOK_RELAY_DATA_DIR: dir,
  NOOK_RELAY_PORT: '0',
  NOOK_RELAY_PEPPER: randomBytes(32).toString('hex'),
  NOOK_RELAY_ARGON2_MEMORY_KIB: '64',
  NOOK_RELAY_ARGON2_ITERATIONS: '1',
  NOOK_RELAY_RATE_LIMIT_PER_MINUTE: '1000000',
};

async function post<T>(
  relay: RelayProcess,
  url: string,
  body: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(relay.url + url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('durability under SIGKILL', () => {
  it(
    `loses no acknowledged record and duplicates none over ${LOOPS} kills`,
    { timeout: 30_000 + LOOPS * 5_000 },
    async () => {
      const accountId = randomBytes(16).toString('hex');
      const authKey = randomBytes(32).toString('base64');
      let relay = await start();
      await post(relay, '/v1/accounts', {
        accountId,
        authKey,
        kdf: { alg: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4 },
        salt: randomBytes(16).toString('base64'),
        wrappedAccountKey: randomBytes(60).toString('base64'),
      });
      const login = await post<{ session: { accessToken: string } }>(relay, '/v1/login', {
        accountId,
        authKey,
        device: { id: randomBytes(16).toString('hex'), name: 'durability' },
      });
      const token = login.session.accessToken;

      const acked = new Map<string, string>();
      const unacked = new Map<string, Op>();
      let counter = 0;

      for (let loop = 0; loop < LOOPS; loop++) {
        if (loop > 0) relay = await start();
        const current = relay;
        let acks = 0;
        let killed = false;
        const killAfter = 1 + (loop % 4);
        const writer = async () => {
          while (!killed) {
            const ops: Op[] = Array.from({ length: BATCH }, () => ({
              opId: randomBytes(8).toString('hex'),
              collection: 'messages',
              id: `r${counter++}`,
              baseRevision: 0,
              revision: 1,
              deleted: false,
              envelope: randomBytes(200).toString('base64'),
            }));
            for (const op of ops) unacked.set(op.opId, op);
            let reply: PushReply;
            try {
              reply = await post<PushReply>(current, '/v1/sync/push', { ops }, token);
            } catch {
              return; // the process died under this request: these ops stay "unacknowledged"
            }
            for (const [i, r] of reply.results.entries()) {
              const op = ops[i]!;
              expect(r.status).toBe('applied');
              acked.set(op.id, op.envelope);
              unacked.delete(op.opId);
            }
            acks += 1;
            if (acks >= killAfter && !killed) {
              killed = true;
              current.child.kill('SIGKILL');
            }
          }
        };
        await Promise.all(Array.from({ length: WRITERS }, writer));
        expect((await current.exited).signal).toBe('SIGKILL');
      }

      relay = await start();
      try {
        // Retrying every unacknowledged op (as a client would) applies each exactly once.
        const retry = [...unacked.values()];
        for (let i = 0; i < retry.length; i += 100) {
          const reply = await post<PushReply>(
            relay,
            '/v1/sync/push',
            { ops: retry.slice(i, i + 100) },
            token,
          );
          expect(reply.results.every((r) => r.status === 'applied')).toBe(true);
        }
        const records: PullReply['records'] = [];
        let since = 0;
        for (;;) {
          const res = await fetch(`${relay.url}/v1/sync/pull?since=${since}&limit=1000`, {
            headers: { authorization: `Bearer ${token}` },
          });
          const page = (await res.json()) as PullReply;
          records.push(...page.records);
          since = page.cursor;
          if (!page.hasMore) break;
        }
        const ids = records.map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length); // no duplicates
        const seqs = records.map((r) => r.seq);
        expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b)); // unique, increasing
        for (const [id, envelope] of acked) {
          expect(records.find((r) => r.id === id)?.envelope, `acknowledged ${id} lost`).toBe(
            envelope,
          );
        }
        expect(records).toHaveLength(acked.size + unacked.size);
        expect(acked.size).toBeGreaterThanOrEqual(LOOPS);
      } finally {
        relay.child.kill('SIGTERM');
        await relay.exited;
      }
    },
  );
});
