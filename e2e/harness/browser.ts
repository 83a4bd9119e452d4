import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer';

/** Where `npm run build` puts the Chrome build. */
/** The built Chrome extension: `.output/` unless NOOK_OUT_DIR names another build folder. */
export const CHROME_BUILD = path.resolve(process.env.NOOK_OUT_DIR ?? '.output', 'chrome-mv3');
/** Debian's Chromium (override with NOOK_CHROMIUM). */
export const CHROMIUM = process.env.NOOK_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for every test browser. The background-networking ones matter: without them
 * Chromium floods this closed network with update and sync requests.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
];

export interface ExtensionBrowser {
  browser: Browser;
  extensionId: string;
  userDataDir: string;
  /** The extension's service worker (re-resolved: MV3 workers come and go). */
  worker(): Promise<WebWorker>;
  /** Opens an extension page (e.g. `sidepanel.html`) in a new tab. */
  openPage(file: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with the built extension. Pass `userDataDir` to reuse a
 * profile (a browser restart), `extensionDir` to install another copy of the build; the
 * background-networking flags keep Chromium quiet on this closed network.
 */
export async function launchWithExtension(
  opts: { userDataDir?: string; extensionDir?: string } = {},
): Promise<ExtensionBrowser> {
  const extDir = opts.extensionDir ?? CHROME_BUILD;
  if (!fs.existsSync(path.join(extDir, 'manifest.json'))) {
    throw new Error(`No extension build at ${extDir}: run npm run build first.`);
  }
  const userDataDir = opts.userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    enableExtensions: true,
    userDataDir,
    args: CHROMIUM_ARGS,
  });
  const extensionId = await browser.installExtension(extDir);
  const workerUrl = `chrome-extension://${extensionId}/background.js`;
  const worker = async () => {
    const target = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url() === workerUrl,
      { timeout: 30_000 },
    );
    const w = await target.worker();
    if (!w) throw new Error('extension service worker did not start');
    return w;
  };
  await worker();
  return {
    browser,
    extensionId,
    userDataDir,
    worker,
    async openPage(file) {
      const page = await browser.newPage();
      await page.goto(`chrome-extension://${extensionId}/${file}`, { waitUntil: 'load' });
      return page;
    },
    close: () => browser.close(),
  };
}

/** Polls `fn` until it returns a truthy value (the service worker may still be starting). */
export async function waitFor<T>(
  fn: () => Promise<T>,
  what: string,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
