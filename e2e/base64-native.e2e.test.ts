/**
 * shared/crypto's base64 on the engines' built-in `Uint8Array.fromBase64`/`toBase64` (Node 20
 * has neither, so the unit tests cover that path with a stand-in): the real modules, type-
 * stripped and served from 127.0.0.1, run the shared vectors in Debian's Chromium and Firefox ESR.
 * Needs no extension build.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from './harness/browser';
import { FIREFOX } from './harness/firefox';

const MODULES = ['bytes', 'errors', 'base64-vectors'];

/** The modules as plain JS (types stripped, `./x` imports pointed at `/x.js`). */
function transpiled(name: string): string {
  const src = fs.readFileSync(path.resolve('shared/crypto', `${name}.ts`), 'utf8');
  const js = ts.transpileModule(src, {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  return js.replace(/from '\.\/([a-z0-9-]+)'/g, "from '/$1.js'");
}

/** Loads the modules as the extension does (ES modules) and hands them to the test. */
const PAGE = `<!doctype html><title>b64</title><script type="module">
import * as bytes from '/bytes.js';
import * as vectors from '/base64-vectors.js';
globalThis.nookBase64 = { bytes, vectors };
</script>`;

type Loaded = {
  bytes: typeof import('../shared/crypto/bytes');
  vectors: typeof import('../shared/crypto/base64-vectors');
};

let server: http.Server;
let origin: string;

beforeAll(async () => {
  const files = new Map(MODULES.map((m) => [`/${m}.js`, transpiled(m)]));
  server = http.createServer((req, res) => {
    const js = files.get(req.url ?? '');
    if (js !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
});

/** What the page reports: failures as readable strings, so a mismatch names its input. */
interface PageResult {
  native: boolean;
  failures: string[];
  checked: number;
}

/** Runs in the page: every vector through fromBase64/toBase64 (built-in path) and the portable pair. */
async function runVectors(): Promise<PageResult> {
  const { bytes: b, vectors: v } = (globalThis as unknown as { nookBase64: Loaded }).nookBase64;
  const failures: string[] = [];
  let checked = 0;
  const same = (x: Uint8Array, y: Uint8Array) =>
    x.length === y.length && x.every((n, i) => n === y[i]);
  const refusal = (s: string) => {
    try {
      b.fromBase64(s);
      return 'accepted';
    } catch (e) {
      return (e as { code?: string }).code ?? String(e);
    }
  };
  for (const [plain, text] of v.RFC4648_VECTORS) {
    checked++;
    const bytes = new TextEncoder().encode(plain);
    if (b.toBase64(bytes) !== text) failures.push(`toBase64 ${JSON.stringify(plain)}`);
    if (!same(b.fromBase64(text), bytes)) failures.push(`fromBase64 ${JSON.stringify(text)}`);
  }
  for (const s of v.REJECTED_BASE64) {
    checked++;
    const got = refusal(s);
    if (got !== 'bad-encoding') failures.push(`${JSON.stringify(s)} -> ${got}`);
  }
  // Every 1- and 2-byte value: canonical text round-trips, every other last character is refused.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let n = 0; n < 65536; n++) {
    checked++;
    const bytes = n < 256 ? Uint8Array.of(n) : Uint8Array.of(n >> 8, n & 0xff);
    const text = b.toBase64(bytes);
    if (text !== b.toBase64Portable(bytes)) failures.push(`encode ${n}`);
    if (!same(b.fromBase64(text), bytes)) failures.push(`decode ${text}`);
    if (n % 97 === 0) {
      const at = text.indexOf('=') - 1;
      for (const c of alphabet) {
        const other = text.slice(0, at) + c + text.slice(at + 1);
        if (
          other !== text &&
          refusal(other) === 'accepted' &&
          b.toBase64(b.fromBase64(other)) !== other
        ) {
          failures.push(`non-canonical ${other} accepted`);
        }
      }
    }
  }
  // Random sizes, and the same text with whitespace the built-in would skip.
  for (let i = 0; i < 300; i++) {
    checked++;
    const bytes = crypto.getRandomValues(new Uint8Array(i * 7));
    const text = b.toBase64(bytes);
    if (text !== b.toBase64Portable(bytes)) failures.push(`encode random ${i}`);
    if (!same(b.fromBase64(text), bytes)) failures.push(`decode random ${i}`);
    for (const ws of ['    ', '\n\n\n\n', '\t \r\n']) {
      const mid = 4 * Math.floor(text.length / 8);
      for (const bad of [text + ws, ws + text, text.slice(0, mid) + ws + text.slice(mid)]) {
        if (bad.length % 4 === 0 && refusal(bad) !== 'bad-encoding')
          failures.push(`whitespace ${i}`);
      }
    }
  }
  return { native: b.nativeFromBase64 !== undefined, failures, checked };
}

async function check(browser: Browser): Promise<PageResult> {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => 'nookBase64' in globalThis);
  return page.evaluate(runVectors);
}

/** Launches a browser on a scratch profile, checks the built-in decoder there, cleans up. */
async function checkIn(prefix: string, launch: (userDataDir: string) => Promise<Browser>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const browser = await launch(dir);
  try {
    const r = await check(browser);
    expect(r.native).toBe(true);
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(65_000);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('base64 on the built-in decoder', () => {
  it('Chromium: uses Uint8Array.fromBase64 and keeps the strict contract', () =>
    checkIn('nook-b64-', (userDataDir) =>
      puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        pipe: true,
        userDataDir,
        args: CHROMIUM_ARGS,
      }),
    ));

  it('Firefox ESR: uses Uint8Array.fromBase64 and keeps the strict contract', () =>
    checkIn('nook-b64-ff-', (userDataDir) =>
      puppeteer.launch({
        browser: 'firefox',
        executablePath: FIREFOX,
        headless: true,
        userDataDir,
        args: ['--remote-allow-system-access'],
      }),
    ));
});
