/**
 * Data controls: export (JSON, Markdown zip) and import (one transaction) of 10,000
 * messages over the encrypted in-memory repositories (every record really sealed and
 * opened with AES-GCM), with peak heap. Baseline in the same run: decrypting the same
 * 10,000 messages once (what any export must at least do). Reported, never asserted.
 * Run alone: `npx tsx bench/data.ts`.
 */
import { pathToFileURL } from 'node:url';
import { freshStore, seedVaried, source } from '../extension/core/data/data-test-kit';
import { percentile, round, timeRuns } from './stats';
import type { BenchResult } from './types';

const MESSAGES = 10_000;
const RUNS = 3;
const MB = 1 << 20;

/** Runs `fn`, sampling heap use every 10 ms; returns the peak above the starting heap. */
async function peakHeap(fn: () => Promise<unknown>): Promise<number> {
  globalThis.gc?.();
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 10);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return (peak - start) / MB;
}

export async function benchData(): Promise<BenchResult[]> {
  const src = await freshStore();
  await seedVaried(src, MESSAGES, 50); // 200 conversations of 50 messages
  const decryptMs = await timeRuns(RUNS, () => src.repos.messages.list());
  const base = percentile(decryptMs, 50);
  const json = await src.data.exportAs('json');
  const zip = await src.data.exportAs('markdown');
  const rows: BenchResult[] = [];
  for (const format of ['json', 'markdown'] as const) {
    const ms = await timeRuns(RUNS, () => src.data.exportAs(format));
    const heap = await peakHeap(() => src.data.exportAs(format));
    const size = (format === 'json' ? json : zip).bytes.length / MB;
    rows.push({
      name: `data.export.${format}.10k`,
      unit: 'ms',
      p50: round(percentile(ms, 50)),
      p95: round(percentile(ms, 95)),
      baseline: { name: 'decrypt 10k messages p50 (ms)', value: round(base) },
      ratio: round(percentile(ms, 50) / base),
      note: `${MESSAGES} messages, file ${round(size)} MB, peak heap +${round(heap)} MB`,
    });
  }
  for (const [format, file] of [
    ['json', json],
    ['markdown', zip],
  ] as const) {
    const ms: number[] = [];
    let heap = 0;
    for (let i = 0; i < RUNS; i++) {
      const dst = await freshStore();
      const t = performance.now();
      heap = Math.max(
        heap,
        await peakHeap(() => dst.data.importFile(source(file.bytes, file.name))),
      );
      ms.push(performance.now() - t);
    }
    rows.push({
      name: `data.import.${format}.10k`,
      unit: 'ms',
      p50: round(percentile(ms, 50)),
      p95: round(percentile(ms, 95)),
      baseline: { name: 'decrypt 10k messages p50 (ms)', value: round(base) },
      ratio: round(percentile(ms, 50) / base),
      note: `into an empty store, one atomic commit; peak heap +${round(heap)} MB`,
    });
  }
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchData());
}
