/**
 * Overhead of Nook's provider adapters: time to first token and total stream time through
 * createProviderAdapter vs the bare official SDK, against the same local provider double
 * in the same run. Reported as p50/p95 and a ratio to the direct call; never asserted.
 * Run alone: `npx tsx bench/providers.ts`.
 */
import { pathToFileURL } from 'node:url';
import {
  createProviderDouble,
  type DoubleApi,
  type ProviderDouble,
} from '../e2e/doubles/provider-double';
import { ProviderKind, type ProviderKind as Kind } from '../extension/core/chat/provider';
import { createProviderAdapter } from '../extension/adapters/providers/index';
import { directSdk, time, type Timed } from './direct-sdk';
import { percentile, round } from './stats';
import type { BenchResult } from './types';

const RUNS = 40;
const WARMUP = 5;
const KEY = 'bench-key';
const TEXT = 'Nook streams this answer in small deltas so the panel can paint early. '.repeat(6);

function viaNook(kind: Kind, baseUrl: string): Timed {
  const adapter = createProviderAdapter({
    id: 'bench',
    kind,
    label: 'Bench',
    apiKey: KEY,
    baseUrl,
  });
  return () =>
    time(async (onText) => {
      const req = { model: 'double-small', turns: [{ role: 'user' as const, content: 'hi' }] };
      for await (const ev of adapter.stream(req)) if (ev.type === 'text') onText();
    });
}

interface Samples {
  ttft: number[];
  total: number[];
}

/** Alternates baseline and Nook run by run, so warm-up and machine drift hit both alike. */
async function samplePair(double: ProviderDouble, a: Timed, b: Timed): Promise<[Samples, Samples]> {
  const out: [Samples, Samples] = [
    { ttft: [], total: [] },
    { ttft: [], total: [] },
  ];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const [j, run] of [a, b].entries()) {
      double.script({ kind: 'text', text: TEXT, chunkSize: 4 });
      const [first, all] = await run();
      if (i >= WARMUP) {
        out[j]?.ttft.push(first);
        out[j]?.total.push(all);
      }
    }
  }
  return out;
}

const CASES: [string, Kind, DoubleApi][] = [
  ['openai', ProviderKind.OpenAI, 'openai'],
  ['anthropic', ProviderKind.Anthropic, 'anthropic'],
  ['gemini', ProviderKind.Gemini, 'gemini'],
  ['openai-compatible', ProviderKind.Compatible, 'ollama'],
];

/** Adapter vs direct SDK, per provider kind: TTFT and total, p50/p95 and the p50 ratio. */
export async function benchProviders(): Promise<BenchResult[]> {
  const double = await createProviderDouble({ apiKey: KEY });
  const out: BenchResult[] = [];
  try {
    for (const [name, kind, api] of CASES) {
      const [base, nook] = await samplePair(
        double,
        directSdk(api, double.baseUrl(api), KEY),
        viaNook(kind, double.baseUrl(api)),
      );
      for (const metric of ['ttft', 'total'] as const) {
        const p50 = percentile(nook[metric], 50);
        const baseP50 = percentile(base[metric], 50);
        out.push({
          name: `providers.${name}.${metric}`,
          unit: 'ms',
          p50: round(p50),
          p95: round(percentile(nook[metric], 95)),
          baseline: { name: `direct SDK p50`, value: round(baseP50) },
          ratio: round(p50 / baseP50),
          note: `${RUNS} runs, ${Math.ceil(TEXT.length / 4)} deltas, local double on loopback`,
        });
      }
    }
  } finally {
    await double.close();
  }
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchProviders());
}
