import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_CORPUS, HOSTILE_HOSTS } from '../extension/ui/markdown/hostile-corpus';
import { createProviderDouble, type ProviderDouble } from './doubles/provider-double';
import { waitFor } from './harness/browser';
import {
  addDoubleProvider,
  launchChatBrowser,
  patchedBuild,
  removeDirs,
  type ChatBrowser,
} from './harness/chat-extension';
import { captureRequests, type RequestCapture } from './harness/request-capture';
import { chatPage, type ChatPage } from './pages/chat-page';

// Hostile model output in the built extension: the provider double answers with every
// case of the hostile corpus (script tags, javascript: links, <img onerror>, entities,
// a 1 MB code block, nesting bombs…), the side panel renders it, and every request of
// every browser target (the panel, the service worker, any tab a payload might open)
// is recorded over CDP. Nothing may go anywhere but the double, no script may run, and
// a remote image loads only when clicked (to a loopback pixel server, never a real host).

const KEY = 'sk-e2e-hostile-7Qw2ZzX9';
const PASS = 'correct horse battery staple hostile';

/** Payloads that would leave a trace in `window.__nookPwned` if any of them ran. */
const GLOBAL_SETTERS = [
  `<script>window.__nookPwned = 'script'</script>`,
  `<img src=x onerror="window.__nookPwned = 'img'">`,
  `<svg onload="window.__nookPwned = 'svg'"></svg>`,
  `<iframe srcdoc="<script>parent.__nookPwned = 'iframe'</script>"></iframe>`,
  `<details open ontoggle="window.__nookPwned = 'details'">x</details>`,
  `[link](javascript:window.__nookPwned='link')`,
  `<a href="javascript:window.__nookPwned='anchor'">anchor</a>`,
].join('\n\n');

/** A 1×1 transparent PNG. */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

interface PixelServer {
  url: string;
  requests: { path: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** A loopback stand-in for a remote image host: serves the pixel and records who asked. */
async function startPixelServer(): Promise<PixelServer> {
  const requests: PixelServer['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
    res.end(PIXEL);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Counts dialogs and CSP violations (a violation means something tried to run or load). */
async function openWatchedPanel(ext: ChatBrowser): Promise<{ page: Page; dialogs: string[] }> {
  const page = await ext.browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { __nookCsp: string[] };
    w.__nookCsp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__nookCsp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`, { waitUntil: 'load' });
  return { page, dialogs };
}

describe('hostile model output (Chromium, built extension, provider double)', () => {
  let double: ProviderDouble;
  let pixel: PixelServer;
  let ext: ChatBrowser;
  let chat: ChatPage;
  let dialogs: string[];
  let capture: RequestCapture;
  const extDir = patchedBuild();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-hostile-'));

  /** Requests that reached neither the extension's own files nor the double. */
  const strayRequests = () =>
    capture.requests.filter(
      (r) =>
        !r.url.startsWith(`chrome-extension://${ext.extensionId}/`) &&
        !r.url.startsWith(`${double.url}/`),
    );
  const pageTargets = () => ext.browser.targets().filter((t) => t.type() === 'page').length;

  beforeAll(async () => {
    double = await createProviderDouble({ apiKey: KEY, host: '127.0.0.1' });
    pixel = await startPixelServer();
    ext = await launchChatBrowser(extDir, userDataDir);
    const watched = await openWatchedPanel(ext);
    dialogs = watched.dialogs;
    chat = chatPage(watched.page);
    await chat.createVault(PASS);
    await addDoubleProvider(ext, double, { kind: 'openai', label: 'OpenAI double', apiKey: KEY });
    capture = await captureRequests(ext.browser);
  });
  afterAll(async () => {
    await capture?.stop();
    await ext?.close();
    await double?.close();
    await pixel?.close();
    removeDirs(extDir, userDataDir);
  });

  it('the capture sees requests from the service worker and from the side panel', async () => {
    // Proves the net is not blind: one probe from the worker, one real chat request.
    const target = await ext.browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://`),
    );
    const worker = await target.worker();
    await worker?.evaluate(
      (u) => fetch(u).then((r) => r.status),
      `${double.url}/probe-from-worker`,
    );
    await waitFor(
      async () =>
        capture.requests.some(
          (r) => r.from.startsWith('service_worker') && r.url.endsWith('/probe-from-worker'),
        ),
      'the worker probe in the capture',
    );
    await chat.click('conv-new');
    const prev = await chat.send('hello before the hostile corpus');
    await chat.waitAnswered(prev);
    expect(
      capture.requests.some(
        (r) => r.from.includes('sidepanel.html') && r.url.startsWith(double.baseUrl('openai')),
      ),
    ).toBe(true);
  });

  it('renders every corpus case inert: expected text shown, images as placeholders', async () => {
    const tabs = pageTargets();
    for (const c of HOSTILE_CORPUS) {
      // Big chunks for the 1 MB block, so the double does not send 250,000 frames.
      double.script({
        kind: 'text',
        text: c.markdown,
        chunkSize: c.markdown.length > 50_000 ? 16_384 : 48,
      });
      const prev = await chat.send(`hostile case ${c.id}`);
      const last = await chat.waitAnswered(prev, 90_000);
      expect(last.status, c.id).toBe('complete');
      for (const text of c.visible ?? [])
        expect(last.text, `${c.id} shows ${text}`).toContain(text);
      const placeholders = await chat.page.$$eval(chat.tid('msg-item'), (items) => {
        const item = items.at(-1);
        return {
          placeholders: item?.querySelectorAll('[data-testid="image-placeholder"]').length ?? -1,
          images: item?.querySelectorAll('img').length ?? -1,
          scripts: item?.querySelectorAll('script, iframe, object, embed, svg, form').length ?? -1,
          hrefs: [...(item?.querySelectorAll('a[href]') ?? [])].map(
            (a) => a.getAttribute('href') ?? '',
          ),
        };
      });
      if (c.imagePlaceholders !== undefined)
        expect(placeholders.placeholders, c.id).toBe(c.imagePlaceholders);
      expect(placeholders.images, `${c.id}: no <img> before a click`).toBe(0);
      expect(placeholders.scripts, c.id).toBe(0);
      for (const href of placeholders.hrefs) expect(href, c.id).toMatch(/^(https?:|mailto:)/);
    }
    expect(dialogs).toEqual([]);
    expect(
      await chat.page.evaluate(() => (window as unknown as { __nookCsp: string[] }).__nookCsp),
    ).toEqual([]);
    expect(pageTargets()).toBe(tabs);
    expect(strayRequests()).toEqual([]);
    for (const host of HOSTILE_HOSTS)
      expect(capture.requests.filter((r) => r.url.includes(host))).toEqual([]);
    expect(pixel.requests).toEqual([]);
  });

  it('runs none of the payloads (no global set in the panel or the worker, no dialog)', async () => {
    double.script({ kind: 'text', text: GLOBAL_SETTERS, chunkSize: 32 });
    const prev = await chat.send('try to set a global');
    const last = await chat.waitAnswered(prev);
    expect(last.text).toContain('<script>');
    // Clicking what looks like a link must not run it either (it is plain text now).
    for (const el of await chat.page.$$(`${chat.tid('msg-item')}:last-of-type a`)) {
      const href = await el.evaluate((a) => a.getAttribute('href') ?? '');
      expect(href).toMatch(/^(https?:|mailto:)/);
    }
    const blocked = await chat.page.$$(`${chat.tid('msg-item')}:last-of-type .md-link-blocked`);
    expect(blocked.length).toBeGreaterThan(0);
    for (const el of blocked) {
      await el.scrollIntoView();
      await el.click();
    }
    const pwned = () => (globalThis as unknown as { __nookPwned?: string }).__nookPwned;
    expect(await chat.page.evaluate(pwned)).toBeUndefined();
    const target = await ext.browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://`),
    );
    expect(await (await target.worker())?.evaluate(pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(
      await chat.page.evaluate(() => (window as unknown as { __nookCsp: string[] }).__nookCsp),
    ).toEqual([]);
    expect(strayRequests()).toEqual([]);
  });

  it('loads a remote image only after a click, once, without a referrer', async () => {
    const src = `${pixel.url}/pixel.png?from=nook`;
    double.script({ kind: 'text', text: `A chart:\n\n![loopback pixel](${src})\n\nthe end` });
    const prev = await chat.send('show me a picture');
    const last = await chat.waitAnswered(prev);
    expect(last.text).toContain('loopback pixel');
    expect(last.text).toContain('127.0.0.1');
    // Give a would-be automatic load every chance to happen before checking.
    await new Promise((r) => setTimeout(r, 500));
    expect(pixel.requests).toEqual([]);
    expect(capture.requests.filter((r) => r.url.startsWith(pixel.url))).toEqual([]);

    const placeholder = await chat.page.$(
      `${chat.tid('msg-item')}:last-of-type ${chat.tid('image-placeholder')}`,
    );
    if (!placeholder) throw new Error('no image placeholder in the answer');
    await placeholder.scrollIntoView();
    await placeholder.click();
    await waitFor(async () => pixel.requests.length > 0, 'the image request');
    await chat.page.waitForFunction(
      (sel) => {
        const img = document.querySelector<HTMLImageElement>(sel);
        return img?.complete && img.naturalWidth === 1;
      },
      { timeout: 10_000 },
      chat.tid('image-loaded'),
    );
    expect(pixel.requests.map((r) => r.path)).toEqual(['/pixel.png?from=nook']);
    expect(pixel.requests[0]?.headers.referer).toBeUndefined();
    expect(capture.requests.filter((r) => r.url === src).map((r) => r.from.split(' ')[0])).toEqual([
      'page',
    ]);
    // Only that one image left the panel; everything else still went to the double only.
    expect(strayRequests().map((r) => r.url)).toEqual([src]);
    expect(dialogs).toEqual([]);
  });
});
