/**
 * Sync benchmarks (issue 6): first sync of 10,000 records into a new browser through the
 * real engine + bridge + Dexie against a real relay (sync-first.ts), and idle authenticated
 * WebSockets held by one relay process with its memory (sync-sockets.ts). Push/pull
 * throughput, notify latency and login cost are in relay-sync.ts. Reported, never asserted.
 * Run alone: `npm run bench -- sync`.
 */
import { benchSyncFirst } from './sync-first';
import { benchSyncSockets } from './sync-sockets';
import type { BenchResult } from './types';

/** Runs both sync benchmarks. */
export async function benchSync(): Promise<BenchResult[]> {
  return [...(await benchSyncFirst()), ...(await benchSyncSockets())];
}
