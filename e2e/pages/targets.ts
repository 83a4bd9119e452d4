import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { CHROME_BUILD, launchWithExtension, waitFor } from '../harness/browser';
import { FIREFOX_BUILD, launchFirefoxWithExtension } from '../harness/firefox';

/** One running browser with the built extension, whichever browser it is. */
export interface LaunchedExtension {
  browser: Browser;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>` */
  origin: string;
  userDataDir: string;
  /** Opens an extension page (e.g. `sidepanel.html`) in a new tab, loaded. */
  openPage(file: string): Promise<Page>;
  /** Reloads an extension page and waits for the new document. */
  reload(page: Page): Promise<void>;
  /**
   * Opens the browser's real side panel (Chrome) or sidebar (Firefox) the way a user does
   * and waits until it shows the unlocked app.
   */
  openRealPanelShowingApp(): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  userDataDir?: string;
  /** Another copy of the build (e.g. with an extra host permission). */
  extensionDir?: string;
  /** Save downloads here without asking. */
  downloads?: string;
}

/** A browser the journeys run in. */
export interface JourneyTarget {
  name: 'Chromium' | 'Firefox';
  /** The build folder this browser loads. */
  build: string;
  launch(opts?: LaunchOptions): Promise<LaunchedExtension>;
}

const tid = (id: string) => `[data-testid="${id}"]`;

export const chromium: JourneyTarget = {
  name: 'Chromium',
  build: CHROME_BUILD,
  async launch(opts = {}) {
    const ext = await launchWithExtension(opts);
    if (opts.downloads) {
      const cdp = await ext.browser.target().createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', {
        behavior: 'allow',
        downloadPath: opts.downloads,
      });
    }
    const origin = `chrome-extension://${ext.extensionId}`;
    return {
      browser: ext.browser,
      origin,
      userDataDir: ext.userDataDir,
      openPage: (file) => ext.openPage(file),
      async reload(page) {
        await page.reload({ waitUntil: 'load' });
      },
      async openRealPanelShowingApp() {
        // The toolbar button (what a user clicks) opens the side panel.
        const page = await ext.browser.newPage();
        const extension = (await ext.browser.extensions()).get(ext.extensionId);
        if (!extension) throw new Error('the extension is not installed');
        const known = new Set(ext.browser.targets());
        await page.triggerExtensionAction(extension);
        const target = await ext.browser.waitForTarget(
          (t) => t.url() === `${origin}/sidepanel.html` && !known.has(t),
          { timeout: 20_000 },
        );
        const panel = await target.asPage();
        await panel.waitForSelector(tid('app-root'), { visible: true, timeout: 30_000 });
        await page.close();
      },
      close: () => ext.close(),
    };
  },
};

export const firefox: JourneyTarget = {
  name: 'Firefox',
  build: FIREFOX_BUILD,
  async launch(opts = {}) {
    const ext = await launchFirefoxWithExtension(opts);
    return {
      ...ext,
      async openRealPanelShowingApp() {
        // sidebarAction.open() needs a user action: a real click in an extension page.
        const page = await ext.openPage('options.html');
        await page.evaluate(() => {
          const api = (
            globalThis as unknown as { browser: { sidebarAction: { open(): Promise<void> } } }
          ).browser;
          document.addEventListener('click', () => void api.sidebarAction.open(), { once: true });
        });
        await page.mouse.click(5, 5);
        // The sidebar is not a tab Puppeteer sees; read it through extension.getViews().
        await waitFor(
          () =>
            page.evaluate((sel) => {
              const ext = (
                globalThis as unknown as {
                  browser: { extension: { getViews(f: { type: string }): Window[] } };
                }
              ).browser.extension;
              return ext
                .getViews({ type: 'sidebar' })
                .some(
                  (w) =>
                    w.location.pathname === '/sidepanel.html' && !!w.document.querySelector(sel),
                );
            }, tid('app-root')),
          'the sidebar showing the app',
          30_000,
        );
        await page.close();
      },
    };
  },
};

/** A fresh temporary directory for downloads. */
export function downloadsDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nook-dl-'));
}
