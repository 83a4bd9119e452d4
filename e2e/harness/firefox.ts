import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';

/** The built Firefox extension: `.output/` unless NOOK_OUT_DIR names another build folder. */
export const FIREFOX_BUILD = path.resolve(process.env.NOOK_OUT_DIR ?? '.output', 'firefox-mv3');
/** Debian's Firefox ESR (override with NOOK_FIREFOX). */
export const FIREFOX = process.env.NOOK_FIREFOX ?? '/usr/bin/firefox-esr';
/**
 * The extension's internal UUID, pinned so `moz-extension://` URLs are known before the
 * install and stay the same across a browser restart with the same profile.
 */
export const FIREFOX_UUID = '6b1f6a52-0c4e-4a37-9d1e-6e6f6f6b0001';

/**
 * Preferences for every test Firefox: no network chatter on this closed network (updates,
 * telemetry, safe browsing, captive portal, remote settings), and downloads saved without
 * a dialog into `downloads` when given.
 */
export function firefoxPrefs(geckoId: string, downloads?: string): Record<string, unknown> {
  return {
    'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: FIREFOX_UUID }),
    'app.update.enabled': false,
    'app.update.auto': false,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'services.settings.server': 'http://127.0.0.1:9/',
    'browser.shell.checkDefaultBrowser': false,
    ...(downloads
      ? {
          'browser.download.dir': downloads,
          'browser.download.folderList': 2,
          'browser.download.useDownloadDir': true,
          'browser.download.always_ask_before_handling_new_types': false,
          'browser.download.start_downloads_in_tmp_dir': false,
        }
      : {}),
  };
}

/** The gecko id from a build's manifest (`browser_specific_settings.gecko.id`). */
export function geckoIdOf(extDir: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(extDir, 'manifest.json'), 'utf8')) as {
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${extDir}/manifest.json has no gecko id`);
  return id;
}

export interface FirefoxExtension {
  browser: Browser;
  /** The pinned internal UUID (the host of `moz-extension://` URLs). */
  extensionId: string;
  /** `moz-extension://<uuid>` */
  origin: string;
  userDataDir: string;
  /** Opens an extension page (e.g. `sidepanel.html`) in a new tab. */
  openPage(file: string): Promise<Page>;
  /** Reloads an extension page (its navigation promise never settles in Firefox). */
  reload(page: Page): Promise<void>;
  close(): Promise<void>;
}

/** Resolves once `page` shows `url` and its document has loaded. */
async function waitLoaded(page: Page, url: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const state = await page.evaluate(() => [location.href, document.readyState] as const);
      if (state[0] === url && state[1] === 'complete') return;
    } catch {
      // The document is being replaced; ask again.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out loading ${url}`);
}

/** Starts a navigation without awaiting it: Puppeteer's promise never settles for moz-extension. */
function startNavigation(page: Page, url: string): void {
  page.goto(url, { timeout: 0 }).catch(() => undefined);
}

/**
 * Launches headless Firefox ESR with the built extension, mirroring `launchWithExtension`
 * for Chromium. Pass `userDataDir` to reuse a profile (a browser restart), `extensionDir`
 * to install another copy of the build, `downloads` to save downloads there.
 */
export async function launchFirefoxWithExtension(
  opts: { userDataDir?: string; extensionDir?: string; downloads?: string } = {},
): Promise<FirefoxExtension> {
  const extDir = opts.extensionDir ?? FIREFOX_BUILD;
  if (!fs.existsSync(path.join(extDir, 'manifest.json'))) {
    throw new Error(`No extension build at ${extDir}: run npm run build first.`);
  }
  const userDataDir = opts.userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-ff-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: firefoxPrefs(geckoIdOf(extDir), opts.downloads),
  });
  // A temporary add-on: installed again on every launch, its IndexedDB (keyed by the
  // pinned UUID) stays in the profile.
  await browser.installExtension(extDir);
  const origin = `moz-extension://${FIREFOX_UUID}`;
  return {
    browser,
    extensionId: FIREFOX_UUID,
    origin,
    userDataDir,
    async openPage(file) {
      const page = await browser.newPage();
      const url = `${origin}/${file}`;
      startNavigation(page, url);
      await waitLoaded(page, url);
      return page;
    },
    async reload(page) {
      const url = await page.evaluate(() => location.href);
      // Mark the old document so the wait below cannot mistake it for the new one.
      await page.evaluate(() => document.documentElement.setAttribute('data-nook-stale', ''));
      await page.evaluate(() => location.reload());
      const end = Date.now() + 30_000;
      while (Date.now() < end) {
        const fresh = await page
          .evaluate(() => !document.documentElement.hasAttribute('data-nook-stale'))
          .catch(() => false);
        if (fresh) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await waitLoaded(page, url);
    },
    close: () => browser.close(),
  };
}
