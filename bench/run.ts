import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchResult } from './types';
import { benchChat } from './chat';
import { benchChatBrowser } from './chat-browser';
import { benchData } from './data';
import { benchDataMemory } from './data-memory';
import { benchProviders } from './providers';
import { benchRedaction } from './redaction';
import { benchRelaySync } from './relay-sync';
import { benchSandbox } from './sandbox';
import { benchSync } from './sync';
import { benchSyncFirstBrowser } from './sync-first-browser';
import { benchVault } from './vault';
import { benchVaultBrowser } from './vault-browser';

/**
 * `npm run bench [-- name…]`: runs the benchmarks, prints percentiles and ratios against
 * baselines measured in the same run, and rewrites bench/RESULTS.md. Never pass/fail.
 */
const benches: Record<string, { title: string; run: () => Promise<BenchResult[]> }> = {
  vault: { title: 'Vault (Node)', run: benchVault },
  'vault-browser': { title: 'Vault (headless Chromium, built extension)', run: benchVaultBrowser },
  providers: { title: 'Provider pipeline vs direct SDK', run: benchProviders },
  chat: { title: 'Chat pipeline (side-panel path, Node) vs direct SDK', run: benchChat },
  'chat-browser': {
    title: 'Side-panel chat (headless Chromium, built extension)',
    run: benchChatBrowser,
  },
  relay: { title: 'Relay sync', run: benchRelaySync },
  sync: { title: 'Sync: first sync into a new browser, idle WebSockets', run: benchSync },
  'sync-first-browser': {
    title:
      'Sync: first sync of 10,000 records into a new browser (headless Chromium, built extension)',
    run: benchSyncFirstBrowser,
  },
  sandbox: { title: 'Docker sandbox', run: benchSandbox },
  redaction: { title: 'Redaction', run: benchRedaction },
  data: { title: 'Data controls: export / import of 10,000 messages', run: benchData },
  'data-memory': { title: 'Memory selection per message (1,000 memories)', run: benchDataMemory },
};

function fmt(r: BenchResult): string {
  const cells = [
    r.name,
    r.p50 !== undefined ? `${r.p50}` : r.value !== undefined ? `${r.value}` : '',
    r.p95 !== undefined ? `${r.p95}` : '',
    r.unit,
    r.baseline ? `${r.baseline.name}: ${r.baseline.value}` : '',
    r.ratio !== undefined ? `${r.ratio}×` : '',
    r.note ?? '',
  ];
  return `| ${cells.join(' | ')} |`;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(benches);
  const sections: string[] = [];
  for (const name of names) {
    const bench = benches[name];
    if (!bench)
      throw new Error(`unknown benchmark "${name}" (have: ${Object.keys(benches).join(', ')})`);
    console.log(`\n## ${bench.title}`);
    const t = performance.now();
    let rows: BenchResult[];
    try {
      rows = await bench.run();
    } catch (e) {
      rows = [
        { name: `${name} failed`, unit: '', note: e instanceof Error ? e.message : String(e) },
      ];
    }
    const table = [
      '| measure | p50 / value | p95 | unit | baseline (same run) | ratio | note |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(fmt),
    ].join('\n');
    console.log(table);
    sections.push(
      `## ${bench.title}\n\n${table}\n\n(${Math.round((performance.now() - t) / 1000)} s)`,
    );
  }
  const header = [
    '# Benchmark results',
    '',
    `Latest \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores,`,
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Timings are noisy on these`,
    'machines; read the ratios against the baselines measured in the same run.',
    '',
  ].join('\n');
  const file = path.join(path.dirname(new URL(import.meta.url).pathname), 'RESULTS.md');
  if (!wanted.length) fs.writeFileSync(file, `${header}\n${sections.join('\n\n')}\n`);
  else console.log(`\n(partial run: ${file} not rewritten)`);
}

await main();
