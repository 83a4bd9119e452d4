/**
 * Memory selection cost per message: picking the memories for the system prompt out of
 * 1,000 entries, for a typical user message. Baseline in the same run: one plain
 * case-insensitive `includes` scan over the same 1,000 texts. Reported, never asserted.
 * Run alone: `npx tsx bench/data-memory.ts`.
 */
import { pathToFileURL } from 'node:url';
import { memoryPromptBlock, selectMemories } from '../extension/core/memory/select-memories';
import type { MemoryEntry } from '../extension/core/memory/types';
import { percentile, round, timeRuns } from './stats';
import type { BenchResult } from './types';

const ENTRIES = 1000;
const RUNS = 200;
const TOPICS = [
  'metric units',
  'TypeScript',
  'Zürich',
  'cat named Miso',
  'vegetarian',
  'marathon',
  'piano',
  'Rust',
  'gardening',
  'chess',
];

function memories(): MemoryEntry[] {
  return Array.from({ length: ENTRIES }, (_, i) => ({
    id: `m${i}`,
    text: `Fact ${i}: the user mentioned ${TOPICS[i % TOPICS.length]} while talking about project ${i % 37} and weekend plans`,
    createdAt: i,
    updatedAt: i,
    source: 'model' as const,
  }));
}

export async function benchDataMemory(): Promise<BenchResult[]> {
  const entries = memories();
  const query =
    'Can you plan a training schedule for my next marathon? I like metric units and usually run in Zürich on weekends.';
  let picked = 0;
  const selectMs = await timeRuns(
    RUNS,
    async () => {
      const chosen = selectMemories(entries, query);
      picked = chosen.length;
      memoryPromptBlock(chosen);
    },
    20,
  );
  const q = query.toLowerCase();
  const scanMs = await timeRuns(
    RUNS,
    async () => entries.filter((e) => e.text.toLowerCase().includes(q)),
    20,
  );
  const p50 = percentile(selectMs, 50);
  const base = percentile(scanMs, 50);
  return [
    {
      name: 'memory.select.1000',
      unit: 'ms / message',
      p50: round(p50, 3),
      p95: round(percentile(selectMs, 95), 3),
      baseline: { name: 'plain includes scan p50 (ms)', value: round(base, 3) },
      ratio: round(p50 / base),
      note: `${ENTRIES} memories, budget 400 tokens, ${picked} picked`,
    },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchDataMemory());
}
