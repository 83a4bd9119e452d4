import type { Browser, CDPSession, Page, Target } from 'puppeteer';
import { E2E_CONTEXT_CLICK } from '../../extension/adapters/browser/context-menu-adapter';

/**
 * Helpers for the selection / page-context journeys: trigger the real context-menu
 * listener in the service worker (Chromium) or through the e2e-only hook (Firefox), and
 * capture every network request of every extension context (service worker, panel,
 * options) through the DevTools protocol (Chromium only).
 */

/** What a click on a menu item reports besides the item and the page. */
export interface ClickExtra {
  selectionText?: string;
  frameId?: number;
}

/** Runs the extension's real `contextMenus.onClicked` listener for the tab showing `url`. */
export async function clickMenu(
  browser: Browser,
  extensionId: string,
  menuItemId: string,
  url: string,
  extra: ClickExtra = {},
): Promise<void> {
  const target = await browser.waitForTarget(
    (t) =>
      t.type() === 'service_worker' &&
      t.url() === `chrome-extension://${extensionId}/background.js`,
    { timeout: 30_000 },
  );
  const worker = await target.worker();
  if (!worker) throw new Error('no service worker');
  await worker.evaluate(
    async (id, pageUrl, more) => {
      // `chrome` is the worker's global; this runs inside the extension, not in Node.
      const c = (globalThis as unknown as { chrome: ChromeLike }).chrome;
      const tabs = await c.tabs.query({});
      // Tabs the extension may not read (chrome://) hide their URL; Chrome then hands the
      // listener a tab whose url it still knows, as we do here.
      const found = tabs.find((t) => t.url === pageUrl);
      const hidden = tabs.find((t) => t.url === undefined);
      const tab = found ?? (hidden ? { ...hidden, url: pageUrl } : undefined);
      if (!tab) throw new Error(`no tab shows ${pageUrl}`);
      c.contextMenus.onClicked.dispatch(
        { menuItemId: id, frameId: more.frameId ?? 0, pageUrl, editable: false, ...more },
        tab,
      );
    },
    menuItemId,
    url,
    extra,
  );
}

interface ChromeLike {
  tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> };
  contextMenus: { onClicked: { dispatch(info: object, tab: object): void } };
}

/**
 * Firefox has no `onClicked.dispatch` and Puppeteer sees no background target there: from
 * Nook's extension page `from`, asks the background of a `NOOK_E2E=1` build to run its
 * context-menu click listener for the tab showing `url` — or, for a page whose URL the
 * extension may not see (about:), the active tab.
 */
export async function clickMenuViaHook(
  from: Page,
  menuItemId: string,
  url: string,
  extra: ClickExtra = {},
): Promise<void> {
  const reply = await from.evaluate(
    async (type, id, pageUrl, more) => {
      // `browser` is the extension page's global; this runs inside the extension.
      const b = (globalThis as unknown as { browser: BrowserLike }).browser;
      const tabs = await b.tabs.query({});
      const active = await b.tabs.query({ active: true, lastFocusedWindow: true });
      const tab = tabs.find((t) => t.url === pageUrl) ?? active.find((t) => t.url === undefined);
      if (tab?.id === undefined) throw new Error(`no tab shows ${pageUrl}`);
      const info = { menuItemId: id, frameId: more.frameId ?? 0, pageUrl, ...more };
      return b.runtime.sendMessage({ type, info, tabId: tab.id });
    },
    E2E_CONTEXT_CLICK,
    menuItemId,
    url,
    extra,
  );
  if ((reply as { ok?: boolean } | undefined)?.ok !== true) {
    throw new Error('the context-menu hook did not answer: is this a NOOK_E2E=1 build?');
  }
}

interface BrowserLike {
  tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> };
  runtime: { sendMessage(m: object): Promise<unknown> };
}

/** Every http(s)/ws(s) request an extension context made, by URL. */
export interface RequestCapture {
  urls: string[];
  /** Hosts (host:port) of the captured requests. */
  hosts(): Set<string>;
  stop(): Promise<void>;
}

/** Starts capturing; call before the journey begins. */
export async function captureExtensionRequests(
  browser: Browser,
  extensionId: string,
): Promise<RequestCapture> {
  const origin = `chrome-extension://${extensionId}/`;
  const urls: string[] = [];
  const sessions: CDPSession[] = [];
  const seen = new Set<Target>();
  const attach = async (t: Target) => {
    if (seen.has(t) || !t.url().startsWith(origin)) return;
    seen.add(t);
    const kind = t.type();
    if (kind !== 'service_worker' && kind !== 'page' && kind !== 'other') return;
    try {
      const s = await t.createCDPSession();
      sessions.push(s);
      s.on('Network.requestWillBeSent', (e: { request: { url: string } }) => {
        if (/^(https?|wss?):/.test(e.request.url)) urls.push(e.request.url);
      });
      s.on('Network.webSocketCreated', (e: { url: string }) => urls.push(e.url));
      await s.send('Network.enable');
    } catch {
      // The target closed before we attached (a worker that went idle): nothing to capture.
    }
  };
  const onTarget = (t: Target) => void attach(t);
  browser.on('targetcreated', onTarget);
  browser.on('targetchanged', onTarget);
  for (const t of browser.targets()) await attach(t);
  return {
    urls,
    hosts: () => new Set(urls.map((u) => new URL(u).host)),
    async stop() {
      browser.off('targetcreated', onTarget);
      browser.off('targetchanged', onTarget);
      await Promise.all(sessions.map((s) => s.detach().catch(() => undefined)));
    },
  };
}

/** Selects the text between two element ids in a page (the user's drag). */
export async function selectBetween(page: Page, fromId: string, toId: string): Promise<void> {
  await page.evaluate(
    (a, b) => {
      const range = document.createRange();
      range.setStart(document.getElementById(a)!.firstChild!, 0);
      const end = document.getElementById(b)!;
      range.setEnd(end.firstChild!, end.firstChild!.textContent!.length);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
    },
    fromId,
    toId,
  );
}
