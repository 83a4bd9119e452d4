import 'fake-indexeddb/auto';
import { argon2id } from '../shared/crypto/kdf';
import {
  DEFAULT_KDF,
  createVault,
  fromBase64,
  unlockVault,
  type UnlockedVault,
} from '../shared/crypto';
import { createDexieRepos } from '../extension/adapters/db/repos';
import { openNookDb } from '../extension/adapters/db/schema';
import type { Message } from '../extension/core/models';
import { percentile, round, timeRuns } from './stats';
import type { BenchResult } from './types';

const PASSPHRASE = 'bench passphrase for the vault, long enough';

function fakeMessage(i: number, conversationId: string): Message {
  return {
    id: `m${i.toString().padStart(6, '0')}`,
    conversationId,
    role: i % 2 ? 'assistant' : 'user',
    content: `Message ${i}: ${'lorem ipsum dolor sit amet '.repeat(8 + (i % 24))}`,
    createdAt: 1_700_000_000_000 + i,
  };
}

/**
 * Vault figures in Node: unlock at the default Argon2id parameters (vs raw Argon2id),
 * seal+write and read+open throughput for 10,000 messages through the real Dexie
 * repositories (on fake-indexeddb, slower than a browser's IndexedDB, so these are
 * pessimistic), and opening a 1,000-message conversation.
 */
export async function benchVault(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const created = await createVault({ passphrase: PASSPHRASE, kdf: DEFAULT_KDF });
  let vault: UnlockedVault = created.vault;
  const unlock = await timeRuns(
    5,
    async () => {
      vault = await unlockVault(created.header, PASSPHRASE, created.secretKey);
    },
    0,
  );
  const salt = fromBase64(created.header.salt);
  const raw = await timeRuns(
    5,
    () => argon2id(new TextEncoder().encode(PASSPHRASE), salt, DEFAULT_KDF),
    0,
  );
  results.push({
    name: 'unlock (Node, Argon2id 64 MiB / t=3 / p=4), median of 5',
    unit: 'ms',
    p50: round(percentile(unlock, 50)),
    p95: round(percentile(unlock, 95)),
    baseline: { name: 'raw Argon2id at the same parameters', value: round(percentile(raw, 50)) },
    ratio: round(percentile(unlock, 50) / percentile(raw, 50)),
  });

  const db = openNookDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  const repos = createDexieRepos(db, () => vault);
  const N = 10_000;
  const messages = Array.from({ length: N }, (_, i) => fakeMessage(i, `c${Math.floor(i / 1000)}`));
  let t = performance.now();
  for (const m of messages) await repos.messages.put(m.id, m);
  const writeMs = performance.now() - t;
  const plainDb = openNookDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  t = performance.now();
  for (const m of messages)
    await plainDb.messages.put({
      id: m.id,
      rev: 1,
      deleted: 0,
      updatedAt: m.createdAt,
      conversationId: m.conversationId,
      env: new TextEncoder().encode(JSON.stringify(m)),
    });
  const plainWriteMs = performance.now() - t;
  results.push({
    name: 'seal+write 10,000 messages (fake-indexeddb)',
    unit: 'msg/s',
    value: round((N / writeMs) * 1000, 0),
    baseline: {
      name: 'plaintext write of the same rows',
      value: round((N / plainWriteMs) * 1000, 0),
    },
    ratio: round(plainWriteMs / writeMs),
  });
  t = performance.now();
  const all = await repos.messages.list();
  const readMs = performance.now() - t;
  if (all.length !== N || all.some((r) => !r.ok)) throw new Error('bench: read-back mismatch');
  results.push({
    name: 'read+open 10,000 messages',
    unit: 'msg/s',
    value: round((N / readMs) * 1000, 0),
  });

  const open = await timeRuns(5, async () => {
    const rows = await repos.messages.list({
      kind: 'equals',
      index: 'conversationId',
      value: 'c3',
    });
    if (rows.length !== 1000) throw new Error('bench: expected 1,000 messages');
  });
  results.push({
    name: 'open a 1,000-message conversation (decrypt all; target ≤ 100 ms)',
    unit: 'ms',
    p50: round(percentile(open, 50)),
    p95: round(percentile(open, 95)),
  });
  db.close();
  plainDb.close();
  return results;
}
