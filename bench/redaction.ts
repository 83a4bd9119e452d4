/**
 * Redaction quality and speed: recall on the secret corpus, false-positive rate on the
 * look-alike corpus (targets: recall ≥ 0.95, false positives ≤ 0.02), and scan throughput
 * on 1 MB of mixed prose, code, logs and secrets, with a single trivial regex pass over the
 * same text as the in-run baseline. Reported, never asserted.
 * Run alone: `npx tsx bench/redaction.ts`.
 */
import { pathToFileURL } from 'node:url';
import { LOOKALIKES } from '../extension/core/redaction/corpus/lookalikes';
import {
  OPT_IN_SAMPLES,
  SECRET_SAMPLES,
  type SecretSample,
} from '../extension/core/redaction/corpus/secrets';
import { createRedactor, type Redactor } from '../extension/core/redaction/index';
import { percentile, round, timeRuns } from './stats';
import type { BenchResult } from './types';

const MB = 1 << 20;
const RUNS = 15;

function recall(redactor: Redactor, samples: readonly SecretSample[]): number {
  const hit = samples.filter((s) =>
    redactor.scan(s.text).some((f) => s.text.slice(f.start, f.end) === s.secret),
  );
  return hit.length / samples.length;
}

function falsePositiveRate(redactor: Redactor): { rate: number; flagged: string[] } {
  const flagged = LOOKALIKES.filter((l) => redactor.scan(l.text).length > 0).map((l) => l.note);
  return { rate: flagged.length / LOOKALIKES.length, flagged };
}

/** About 1 MB of what users paste: prose, a stack trace, code, JSON, and a few secrets. */
function mixedText(): string {
  const blocks = [
    'The quarterly report shows revenue of $12,345,678 (up 4.2%) across 31 regions; see page 17.\n',
    'Error: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect (node:net:1555:16)\n',
    'export function total(items: Item[]): number {\n  return items.reduce((s, i) => s + i.price * i.qty, 0);\n}\n',
    '{"id": "3f2b9c1e-8a7d-4e6f-9b0a-1c2d3e4f5a6b", "version": "1.4.2", "created": "2026-11-23T12:00:00Z"}\n',
    'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 Merge pull request #4521 from org/feature\n',
  ];
  const parts: string[] = [];
  let size = 0;
  let i = 0;
  while (size < MB) {
    const block =
      i % 40 === 39
        ? `${SECRET_SAMPLES[i % SECRET_SAMPLES.length]!.text}\n`
        : blocks[i % blocks.length]!;
    parts.push(block);
    size += block.length;
    i++;
  }
  return parts.join('').slice(0, MB);
}

/** Recall, false-positive rate and throughput of the redactor. */
export async function benchRedaction(): Promise<BenchResult[]> {
  const defaults = createRedactor({ email: false, phone: false });
  const everything = createRedactor({ email: true, phone: true });
  const fp = falsePositiveRate(defaults);
  const fpAll = falsePositiveRate(everything);
  const text = mixedText();
  const scanMs = await timeRuns(RUNS, async () => everything.scan(text), 2);
  const baseMs = await timeRuns(RUNS, async () => text.match(/\d{4}/g)?.length, 2);
  const p50 = percentile(scanMs, 50);
  const base50 = percentile(baseMs, 50);
  const corpusNote = `${SECRET_SAMPLES.length} secrets of ${new Set(SECRET_SAMPLES.map((s) => s.rule)).size} rules`;
  return [
    {
      name: 'redaction.recall',
      unit: 'ratio',
      value: round(recall(defaults, SECRET_SAMPLES), 4),
      note: `${corpusNote}; target ≥ 0.95`,
    },
    {
      name: 'redaction.recall.email-phone',
      unit: 'ratio',
      value: round(recall(everything, OPT_IN_SAMPLES), 4),
      note: `${OPT_IN_SAMPLES.length} e-mail/phone samples, both turned on`,
    },
    {
      name: 'redaction.false-positive-rate',
      unit: 'ratio',
      value: round(fp.rate, 4),
      note: `${LOOKALIKES.length} look-alikes, defaults; target ≤ 0.02${fp.flagged.length ? `; flagged: ${fp.flagged.join(', ')}` : ''}`,
    },
    {
      name: 'redaction.false-positive-rate.email-phone',
      unit: 'ratio',
      value: round(fpAll.rate, 4),
      note: `e-mail and phone on${fpAll.flagged.length ? `; flagged: ${fpAll.flagged.join(', ')}` : ''}`,
    },
    {
      name: 'redaction.scan.1mb',
      unit: 'ms',
      p50: round(p50),
      p95: round(percentile(scanMs, 95)),
      baseline: { name: 'one /\\d{4}/g pass p50', value: round(base50) },
      ratio: round(p50 / base50),
      note: `${RUNS} runs over 1 MB of mixed text, all detectors on`,
    },
    {
      name: 'redaction.scan.throughput',
      unit: 'MB/s',
      value: round(text.length / MB / (p50 / 1000)),
      note: 'from the p50 above',
    },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchRedaction());
}
