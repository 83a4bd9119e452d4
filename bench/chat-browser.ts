/**
 * Side-panel chat figures in headless Chromium with the built extension (run
 * `npm run build` first; NOOK_OUT_DIR picks another build folder):
 * - the initial JavaScript of sidepanel.html, gzipped (entry script, modulepreloads and
 *   their static imports; lazily imported chunks such as the provider SDKs excluded);
 * - side panel open → interactive, locked (unlock box ready) and unlocked (composer
 *   ready), measured in the page from navigation start;
 * - sustained tokens rendered per second: the provider double floods an ~8,000-token
 *   Markdown answer and the page records when the first and the last token are on screen.
 * Run alone: `npx tsx bench/chat-browser.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createProviderDouble } from '../e2e/doubles/provider-double';
import { CHROME_BUILD } from '../e2e/harness/browser';
import {
  addDoubleProvider,
  launchChatBrowser,
  patchedBuild,
  removeDirs,
  type ChatBrowser,
} from '../e2e/harness/chat-extension';
import { chatPage } from '../e2e/pages/chat-page';
import { percentile, round } from './stats';
import type { BenchResult } from './types';

const KEY = 'bench-chat-browser-key';
const PASS = 'bench passphrase for the chat panel';
const OPEN_RUNS = 10;
const STREAM_RUNS = 3;
const CHUNK = 4;
const END = 'END-OF-BENCH-ANSWER';

/** The JS sidepanel.html loads before anything is imported lazily: [files, gzip bytes]. */
export function initialJs(buildDir: string, html = 'sidepanel.html'): [number, number, number] {
  const page = fs.readFileSync(path.join(buildDir, html), 'utf8');
  const queue = [...page.matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const seen = new Set<string>();
  let raw = 0;
  let gz = 0;
  while (queue.length > 0) {
    const file = queue.shift() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const code = fs.readFileSync(path.join(buildDir, file));
    raw += code.length;
    gz += gzipSync(code, { level: 9 }).length;
    // Static imports only (`import … from "./x.js"`, `import "./x.js"`); import() is lazy.
    for (const m of code.toString('utf8').matchAll(/(?:from|import)\s*"(\.\/[^"]+\.js)"/g))
      queue.push(path.posix.join(path.posix.dirname(file), m[1] ?? ''));
  }
  return [seen.size, raw, gz];
}

/** A long answer in ordinary Markdown: prose, lists, code and a table, ~`tokens` tokens. */
function longAnswer(tokens: number): string {
  const parts: string[] = [];
  for (let i = 0; parts.join('').length < tokens * CHUNK; i++) {
    parts.push(
      `## Step ${i}\n\nThe panel renders **Markdown** as it streams, with \`inline code\`, ` +
        `[a link](https://example.org/docs/${i}) and ordinary prose that wraps across lines.\n\n` +
        `- first point of step ${i}\n- second point, a little longer than the first\n\n` +
        '```ts\n' +
        `export function step${i}(input: number): number {\n  return input * ${i} + 1;\n}\n` +
        '```\n\n' +
        `| column | value |\n|---|---|\n| step | ${i} |\n\n`,
    );
  }
  return `${parts.join('')}${END}\n`;
}

/** Installs a recorder of when `selector` first appears (ms since navigation start). */
async function openTimed(ext: ChatBrowser, selector: string): Promise<number> {
  const page = await ext.browser.newPage();
  try {
    // No named inner functions: tsx's keepNames would wrap them in a page-less __name().
    await page.evaluateOnNewDocument((sel) => {
      const w = window as unknown as { __nookReady?: number };
      const observer = new MutationObserver(() => {
        if (w.__nookReady === undefined && document.querySelector(sel)) {
          w.__nookReady = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    }, selector);
    await page.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`, { waitUntil: 'load' });
    const handle = await page.waitForFunction(
      () => (window as unknown as { __nookReady?: number }).__nookReady,
      { timeout: 30_000 },
    );
    return (await handle.jsonValue()) as number;
  } finally {
    await page.close();
  }
}

/** Side panel size, open time and streaming throughput. */
export async function benchChatBrowser(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const [files, raw, gz] = initialJs(CHROME_BUILD);
  out.push({
    name: 'side panel initial JS, gzipped (target ≤ 250 kB)',
    unit: 'kB',
    value: round(gz / 1000, 1),
    note: `${files} files, ${round(raw / 1000, 1)} kB minified; provider SDKs load on first use`,
  });

  const double = await createProviderDouble({ apiKey: KEY, host: '127.0.0.1' });
  const extDir = patchedBuild();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-bench-chat-'));
  const ext = await launchChatBrowser(extDir, userDataDir);
  try {
    const chat = chatPage(await ext.openPage('sidepanel.html'));
    await chat.createVault(PASS);
    await addDoubleProvider(ext, double, { kind: 'openai', label: 'Bench double', apiKey: KEY });

    // Open → interactive, unlocked (keys in storage.session) and then locked.
    const composer = '[data-testid="composer-input"]';
    const unlockBox = '[data-testid="unlock-passphrase"]';
    await openTimed(ext, composer);
    const unlocked: number[] = [];
    for (let i = 0; i < OPEN_RUNS; i++) unlocked.push(await openTimed(ext, composer));
    await chat.lockNow();
    await openTimed(ext, unlockBox);
    const locked: number[] = [];
    for (let i = 0; i < OPEN_RUNS; i++) locked.push(await openTimed(ext, unlockBox));
    for (const [state, sample] of [
      ['unlocked, composer ready', unlocked],
      ['locked, unlock box ready', locked],
    ] as const) {
      out.push({
        name: `side panel open → interactive, ${state} (target ≤ 150 ms)`,
        unit: 'ms',
        p50: round(percentile(sample, 50)),
        p95: round(percentile(sample, 95)),
        note: `${OPEN_RUNS} opens of sidepanel.html in a tab, from navigation start`,
      });
    }
    await chat.unlockExpectingApp(PASS);

    // Sustained rendering: the double floods a long answer as fast as loopback allows.
    const text = longAnswer(8_000);
    const tokens = Math.ceil(text.length / CHUNK);
    const rates: number[] = [];
    const saveLag: number[] = [];
    const longDuring: number[] = [];
    const longAfter: number[] = [];
    type Marks = { first?: number; streamed?: number; saved?: number; longTasks: number[][] };
    for (let i = 0; i < STREAM_RUNS + 1; i++) {
      await chat.click('conv-new');
      // No named inner functions: tsx's keepNames would wrap them in a page-less __name().
      await chat.page.evaluate((end) => {
        const w = window as unknown as { __bench: Marks };
        const b: Marks = { longTasks: [] };
        w.__bench = b;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) b.longTasks.push([e.startTime, e.duration]);
        }).observe({ type: 'longtask' });
        const observer = new MutationObserver(() => {
          const now = performance.now();
          const shown = document.querySelector(
            '[data-testid="msg-streaming"] :is([data-testid="markdown-view"], [data-testid="markdown-pending"])',
          )?.textContent;
          if (b.first === undefined && shown) b.first = now;
          if (b.streamed === undefined && shown?.includes(end)) b.streamed = now;
          const items = document.querySelectorAll('[data-testid="msg-item"]');
          if (items[items.length - 1]?.textContent?.includes(end)) {
            b.saved = now;
            b.streamed ??= now;
            observer.disconnect();
          }
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      }, END);
      double.script({ kind: 'text', text, chunkSize: CHUNK });
      const prev = await chat.send(`long answer ${i}`);
      await chat.waitAnswered(prev, 120_000);
      const b = await chat.page.evaluate(() => (window as unknown as { __bench: Marks }).__bench);
      const { first, streamed, saved } = b;
      if (first === undefined || streamed === undefined || saved === undefined)
        throw new Error('stream not observed');
      // The first run loads the SDK and renderer chunks and warms the JIT: not counted.
      if (i === 0) continue;
      rates.push((tokens * 1000) / (streamed - first));
      saveLag.push(saved - streamed);
      const sum = (from: number, to: number) =>
        b.longTasks
          .filter(([start]) => start !== undefined && start >= from && start < to)
          .reduce((t, [, d]) => t + (d ?? 0), 0);
      longDuring.push(sum(first, streamed));
      longAfter.push(sum(streamed, saved + 1));
    }
    out.push({
      name: 'sustained tokens rendered per second in the side panel (target ≥ 1,000)',
      unit: 'tok/s',
      p50: Math.round(percentile(rates, 50)),
      note:
        `${tokens} tokens (${CHUNK} chars each) of mixed Markdown flooded by the double, ` +
        `first → last token on screen; min ${Math.round(Math.min(...rates))} over ${STREAM_RUNS} runs; ` +
        `long tasks p50 ${Math.round(percentile(longDuring, 50))} ms while streaming`,
    });
    out.push({
      name: 'last token on screen → answer saved and re-rendered in full',
      unit: 'ms',
      p50: round(percentile(saveLag, 50)),
      p95: round(percentile(saveLag, 95)),
      note: `long tasks p50 ${Math.round(percentile(longAfter, 50))} ms (final full parse of the answer)`,
    });
  } finally {
    await ext.close();
    await double.close();
    removeDirs(extDir, userDataDir);
  }
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchChatBrowser());
}
