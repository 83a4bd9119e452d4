import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../relay/server';
import { createProviderDouble, type ProviderDouble } from './doubles/provider-double';
import { launchWithExtension, waitFor, type ExtensionBrowser } from './harness/browser';
import { dumpExtensionStorage, findCanary, makeCanary, scanFiles } from './harness/canary';
import { addDoubleProvider, patchedBuild, removeDirs } from './harness/chat-extension';
import { chatPage, type ChatPage } from './pages/chat-page';
import { sandboxPage, type SandboxPage } from './pages/sandbox-page';
import { syncPage } from './pages/sync-page';

// Code execution in chat, end to end: the REAL relay (relay/server.ts: SQLite in a temp dir,
// the Docker runner on the daemon the test script started, the locally built image), the
// built extension connected to it through Options → Sync, the provider double proposing
// run_code. The user uploads a CSV in the Files panel, approves the run on the card, watches
// the output stream in, sees the matplotlib plot and downloads the result file; Options →
// Sandbox then shows the workspace and resets it (which also removes the container/volume).

const KEY = 'sk-e2e-sandbox-7Qw2Lm9x';
const INSTANCE = `e2e${randomBytes(4).toString('hex')}`;
const PASS = 'correct horse battery staple sandbox';

/** The image tag: from the test script's env, else built (idempotent) by the project script. */
function sandboxImage(): string {
  const fromEnv = process.env.NOOK_SANDBOX_IMAGE?.trim();
  if (fromEnv) return fromEnv;
  const out = execFileSync('bash', ['scripts/build-sandbox-image.sh'], { encoding: 'utf8' });
  const tag = out.trim().split('\n').at(-1)?.trim();
  if (!tag) throw new Error('scripts/build-sandbox-image.sh printed no image tag');
  return tag;
}

/**
 * Removes what this suite's relay instance left in Docker (normally nothing: the last test
 * resets the sandbox through Options). Only objects labelled with this run's instance.
 */
function removeSandboxes(instance: string): void {
  const docker = (...args: string[]) =>
    execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
  const label = `label=nook.instance=${instance}`;
  try {
    const containers = docker('ps', '-aq', '--filter', label);
    if (containers.length > 0) docker('rm', '-f', ...containers);
    const volumes = docker('volume', 'ls', '-q', '--filter', label);
    if (volumes.length > 0) docker('volume', 'rm', '-f', ...volumes);
  } catch (e) {
    console.warn('could not clean up sandbox containers:', e);
  }
}

/** Printed by the code (stderr): must exist only encrypted in the browser and the relay DB. */
const CANARY = makeCanary('sandbox');

const CODE = [
  'import sys',
  'import time',
  'import matplotlib',
  "matplotlib.use('Agg')",
  'import matplotlib.pyplot as plt',
  'import pandas as pd',
  "df = pd.read_csv('data.csv')",
  "print('rows', len(df), flush=True)",
  '# A pause, so the first line is on screen while the run is still going.',
  'time.sleep(3)',
  "print('total', int(df['value'].sum()), flush=True)",
  "df.plot(x='x', y='value')",
  "plt.savefig('plot.png')",
  "df.assign(double=df['value'] * 2).to_csv('result.csv', index=False)",
  `print('${CANARY}', file=sys.stderr)`,
].join('\n');

describe('sandbox in chat (Chromium, built extension, real relay + Docker sandbox)', () => {
  let relay: FastifyInstance;
  let relayUrl: string;
  let double: ProviderDouble;
  let ext: ExtensionBrowser;
  let panel: Page;
  let chat: ChatPage;
  let sbx: SandboxPage;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-relay-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-sbx-files-'));
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-sbx-dl-'));
  const extDir = patchedBuild();

  beforeAll(async () => {
    ({ app: relay, address: relayUrl } = await startServer({
      PATH: process.env.PATH,
      NOOK_RELAY_HOST: '127.0.0.1',
      NOOK_RELAY_PORT: '0',
      NOOK_RELAY_DATA_DIR: dataDir,
      NOOK_RELAY_LOG_LEVEL: 'silent',
      NOOK_SANDBOX_IMAGE: sandboxImage(),
      // Its own container names and labels: never touches another relay's sandboxes.
      NOOK_SANDBOX_INSTANCE: INSTANCE,
      ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
    }));
    double = await createProviderDouble({ apiKey: KEY, host: '127.0.0.1' });
    ext = await launchWithExtension({ extensionDir: extDir });
    // Downloads land in a temp folder without a prompt.
    const cdp = await ext.browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    panel = await ext.openPage('sidepanel.html');
    // The size of a real side panel: narrow and tall.
    await panel.setViewport({ width: 420, height: 900 });
    chat = chatPage(panel);
    sbx = sandboxPage(panel);
    await chat.createVault(PASS);
    await addDoubleProvider(ext, double, { kind: 'openai', label: 'OpenAI double', apiKey: KEY });
  });
  afterAll(async () => {
    await ext?.close();
    await double?.close();
    await relay?.close();
    removeSandboxes(INSTANCE);
    removeDirs(extDir, dataDir, work, downloads);
  });

  it('before a relay is connected, the Files panel and Options → Sandbox point to Options → Sync', async () => {
    await sbx.openFiles();
    expect(await sbx.text('sandbox-files-not-connected')).toMatch(/Options → Sync/);
    const options = sandboxPage(await ext.openPage('options.html'));
    expect(await options.text('sandbox-not-connected')).toMatch(/Options → Sync/);
    await options.page.close();
  });

  it('connects through Options → Sync, then Options → Sandbox shows the empty sandbox', async () => {
    const options = await ext.openPage('options.html');
    const sync = syncPage(options);
    const accountId = await sync.createAccount(relayUrl, PASS, 'E2E sandbox browser');
    expect(accountId).toMatch(/^[0-9a-f]{32}$/);
    const o = sandboxPage(options);
    // Options → Sandbox follows the connection made in the same page, without a reload.
    await waitFor(
      async () => /not created/i.test(await o.text('sandbox-state')),
      'the sandbox state',
    );
    expect(await o.text('sandbox-usage')).toMatch(/of 512 MiB$/);
    await options.close();
  });

  it('uploads a CSV in the Files panel', async () => {
    const csv = path.join(work, 'data.csv');
    fs.writeFileSync(csv, 'x,value\n1,10\n2,20\n3,12\n');
    await sbx.click('sandbox-files-refresh');
    await sbx.upload(csv, 'data.csv');
    expect(await sbx.text('sandbox-files-notice')).toBe('Uploaded data.csv.');
    expect(await sbx.fileNames()).toEqual(['data.csv']);
  });

  it('the model proposes run_code, the user approves, output streams, the plot shows, the result downloads', async () => {
    await sbx.click('sandbox-files-close');
    await chat.newConversation('OpenAI double', 'double-small');
    await panel.$eval(chat.tid('model-bar'), (d) => ((d as HTMLDetailsElement).open = false));
    // Model lists never take an answer scenario; only chat requests do.
    double.script([
      { kind: 'tool-call', name: 'run_code', arguments: { language: 'python', code: CODE } },
      { kind: 'text', text: 'The values add up to 42; the plot and result.csv are above.' },
    ]);
    await chat.send('Plot data.csv and add a doubled column.');
    // The card waits for the user: the code is shown, nothing has run.
    await sbx.waitForCard('pending');
    expect(await sbx.cardText('run-code')).toContain("pd.read_csv('data.csv')");
    const requestsBefore = double.requests.length;
    // "Allow for this conversation", then Run.
    await sbx.clickOnCard('tool-allow-conversation');
    await sbx.clickOnCard('tool-run');
    // Live: the first line is on screen while the run is still going (it sleeps 3 s).
    await sbx.waitForLiveOutput('rows 3');
    expect(await sbx.cardStatus()).toBe('running');
    await sbx.waitForCard('done');
    expect(await sbx.cardText('run-stdout')).toBe('rows 3\ntotal 42\n');
    expect(await sbx.cardText('run-summary')).toMatch(/^Finished in/);
    expect(await sbx.cardText('run-stderr')).toBe(`${CANARY}\n`);
    // The plot the code saved, fetched with the token and shown from a blob: URL.
    const images = await sbx.images();
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ path: 'plot.png' });
    expect(images[0]?.src).toMatch(/^blob:chrome-extension:/);
    expect(images[0]?.width).toBeGreaterThan(100);
    // The tool result went back to the model, and its answer follows.
    await waitFor(
      async () => (await chat.messages()).some((m) => m.text.includes('add up to 42')),
      'the answer after the tool result',
      60_000,
    );
    const followUp = JSON.stringify(double.requests.slice(requestsBefore).map((r) => r.body));
    expect(followUp).toContain('total 42');
    expect(followUp).toContain('plot.png');
    // The result file downloads through the browser.
    await sbx.clickDownload('result.csv');
    const file = path.join(downloads, 'result.csv');
    await waitFor(async () => fs.existsSync(file), 'the downloaded result.csv', 30_000);
    expect(fs.readFileSync(file, 'utf8')).toBe('x,value,double\n1,10,20\n2,20,40\n3,12,24\n');
    // Code and output are kept with the message, encrypted: never readable in IndexedDB,
    // nor in the relay's database (sync pushes only ciphertext).
    expect(findCanary((await dumpExtensionStorage(panel)).bytes, CANARY)).toEqual([]);
    expect(scanFiles(dataDir, CANARY)).toEqual([]);
    // The Files panel lists the results beside the upload.
    await sbx.openFiles();
    await sbx.waitForFile('result.csv');
    expect(await sbx.fileNames()).toEqual(['data.csv', 'plot.png', 'result.csv']);
  });

  it('once allowed, the next run in the conversation starts by itself and sees the earlier files', async () => {
    double.script([
      {
        kind: 'tool-call',
        name: 'run_code',
        arguments: { language: 'shell', code: 'wc -l < result.csv; ls' },
      },
      { kind: 'text', text: 'result.csv has 4 lines.' },
    ]);
    const cards = await panel.$$eval(
      '[data-testid="tool-call"][data-tool="run_code"]',
      (els) => els.length,
    );
    await chat.send('How many lines does result.csv have?');
    await panel.waitForFunction(
      (n) => document.querySelectorAll('[data-tool="run_code"]').length > n,
      { timeout: 30_000 },
      cards,
    );
    // No click: the card goes straight to its result.
    await sbx.waitForCard('done');
    expect(await sbx.cardText('run-stdout')).toMatch(/^4\ndata\.csv\nplot\.png\nresult\.csv\n$/);
    await waitFor(
      async () => (await chat.messages()).some((m) => m.text.includes('has 4 lines')),
      'the second answer',
    );
  });

  it('Options → Ledger lists each run’s WebSocket to the relay, with bytes both ways', async () => {
    const o = sandboxPage(await ext.openPage('options.html'));
    await o.visible('ledger-section');
    const rowSel = `${o.tid('ledger-row')}[data-kind="websocket"][data-purpose="sandbox"]`;
    await o.page.waitForSelector(rowSel, { timeout: 20_000 });
    const runs = await o.page.$$eval(rowSel, (els) =>
      els.map((e) => [...e.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    // Time, host, purpose, sent, received, redacted, status: one row per run, both closed.
    expect(runs).toHaveLength(2);
    for (const [, host, purpose, sent, received, , status] of runs) {
      expect(host).toBe(new URL(relayUrl).host);
      expect(purpose).toMatch(/Sandbox.*WebSocket/);
      expect(Number(sent)).toBeGreaterThan(0);
      expect(Number(received)).toBeGreaterThan(0);
      expect(status).toBe('closed');
    }
    await o.page.close();
  });

  it('Options → Sandbox shows the running sandbox and its size, and resets it after confirmation', async () => {
    const o = sandboxPage(await ext.openPage('options.html'));
    await waitFor(async () => (await o.text('sandbox-state')) === 'Running', 'running state');
    expect(await o.text('sandbox-usage')).toMatch(/^\d+(\.\d)? KiB of 512 MiB$/);
    await o.click('sandbox-reset');
    await o.click('sandbox-reset-confirm');
    expect(await o.text('sandbox-notice')).toMatch(/reset/i);
    await waitFor(
      async () => /not created/i.test(await o.text('sandbox-state')),
      'the reset sandbox',
    );
    await o.page.close();
    await sbx.click('sandbox-files-refresh');
    await sbx.visible('sandbox-files-empty');
  });
});
