/**
 * Chat pipeline overhead in Node: time to first token and total time of one answer
 * through Nook's real side-panel path (chat controller → answer runner → provider
 * registry → SDK adapter, with every message sealed and written to IndexedDB on
 * fake-indexeddb) vs the shortest direct SDK call, against the same provider double in
 * the same run, runs alternated. Reported as p50/p95 and the p50 ratio; never asserted.
 * Run alone: `npx tsx bench/chat.ts`.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { pathToFileURL } from 'node:url';
import { createVault, KDF_FLOOR } from '../shared/crypto';
import {
  createProviderDouble,
  type DoubleApi,
  type ProviderDouble,
} from '../e2e/doubles/provider-double';
import { createDexieRepos } from '../extension/adapters/db/repos';
import { openNookDb } from '../extension/adapters/db/schema';
import { createProviderAdapter } from '../extension/adapters/providers/index';
import { ProviderKind, type ProviderKind as Kind } from '../extension/core/chat/provider';
import { createProviderRegistry } from '../extension/core/chat/provider-registry';
import { rowsStamp } from '../extension/core/records/row-stamp';
import { createChatController } from '../extension/core/conversations/chat-controller';
import { directSdk, time, type Timed } from './direct-sdk';
import { percentile, round } from './stats';
import type { BenchResult } from './types';

const RUNS = 30;
const WARMUP = 5;
const KEY = 'bench-chat-key';
const TEXT = 'Nook streams this answer in small deltas so the panel can paint early. '.repeat(6);
const CHUNK = 4;
/** Paced mode: a pause before every frame, like a provider generating ~200 tokens/s. */
const PACED_DELAY_MS = 5;

/**
 * Nook's side-panel path, as the panel wires it (adapters/create-page-services.ts):
 * Dexie repositories on a fresh fake IndexedDB, the provider registry, the chat
 * controller. One run = a new conversation + `send()` until the answer is saved; the
 * first token is the first text in `chat.stream` (what StreamingMessage renders).
 */
async function viaNook(kind: Kind, baseUrl: string): Promise<Timed> {
  const { vault } = await createVault({ passphrase: 'bench chat passphrase', kdf: KDF_FLOOR });
  const db = openNookDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  const repos = createDexieRepos(db, () => vault);
  const providers = createProviderRegistry({
    repo: repos.providers,
    createAdapter: (cfg) => createProviderAdapter(cfg),
    changeStamp: async () => rowsStamp(await db.secrets.toArray()),
  });
  const saved = await providers.save({ id: '', kind, label: 'Bench', apiKey: KEY, baseUrl });
  if (!saved.ok) throw new Error('bench provider refused');
  const chat = createChatController({
    conversations: repos.conversations,
    messages: repos.messages,
    providers,
    usage: repos.usage,
    defaults: () =>
      Promise.resolve({ defaultProviderId: saved.provider.id, defaultModel: 'double-small' }),
  });
  await chat.load();
  return () =>
    time(async (onText) => {
      const off = chat.stream.subscribe((s) => {
        if (s?.text) onText();
      });
      await chat.select(undefined);
      await chat.send('hi');
      await chat.whenIdle();
      off();
      const last = chat.getState().messages.at(-1);
      if (!last?.ok || last.value.status !== 'complete') throw new Error('bench answer failed');
    });
}

interface Samples {
  ttft: number[];
  total: number[];
}

/** Alternates baseline and Nook run by run, so warm-up and machine drift hit both alike. */
async function samplePair(
  double: ProviderDouble,
  delayMs: number,
  a: Timed,
  b: Timed,
): Promise<[Samples, Samples]> {
  const out: [Samples, Samples] = [
    { ttft: [], total: [] },
    { ttft: [], total: [] },
  ];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const [j, run] of [a, b].entries()) {
      double.script({ kind: 'text', text: TEXT, chunkSize: CHUNK, delayMs });
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

const MODES = [
  { name: 'instant', delayMs: 0, what: 'double answers at once: the fixed cost shows in full' },
  {
    name: 'paced',
    delayMs: PACED_DELAY_MS,
    what: `${PACED_DELAY_MS} ms before each frame, like a provider generating`,
  },
] as const;

/** Pipeline vs direct SDK, per kind and pacing: TTFT and total, p50/p95, p50 ratio. */
export async function benchChat(): Promise<BenchResult[]> {
  const double = await createProviderDouble({ apiKey: KEY });
  const out: BenchResult[] = [];
  try {
    for (const mode of MODES) {
      for (const [name, kind, api] of CASES) {
        const baseUrl = double.baseUrl(api);
        const [base, nook] = await samplePair(
          double,
          mode.delayMs,
          directSdk(api, baseUrl, KEY),
          await viaNook(kind, baseUrl),
        );
        for (const metric of ['ttft', 'total'] as const) {
          const p50 = percentile(nook[metric], 50);
          const baseP50 = percentile(base[metric], 50);
          out.push({
            name: `chat.${mode.name}.${name}.${metric} (target ≤ 1.05×)`,
            unit: 'ms',
            p50: round(p50),
            p95: round(percentile(nook[metric], 95)),
            baseline: { name: 'direct SDK p50', value: round(baseP50) },
            ratio: round(p50 / baseP50),
            note: `+${round(p50 - baseP50)} ms; ${RUNS} runs, ${Math.ceil(TEXT.length / CHUNK)} deltas; ${mode.what}`,
          });
        }
      }
    }
  } finally {
    await double.close();
  }
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchChat());
}
