import type { ElementHandle, Page } from 'puppeteer';
import { vaultPage } from './vault-page';

/** Page object for the sandbox: the Files panel, the run_code card, Options → Sandbox. */
export function sandboxPage(page: Page) {
  const v = vaultPage(page);
  /** The run_code cards (the chat's tool-call card with the run_code renderer). */
  const CARD = '[data-testid="tool-call"][data-tool="run_code"]';
  const api = {
    ...v,
    /** Opens the side panel's Files panel (no-op when open). */
    async openFiles() {
      if (!(await v.has('sandbox-files'))) await v.click('sandbox-files-toggle');
      await v.visible('sandbox-files');
    },
    /** Uploads a file from disk through the Files panel and waits until it is listed. */
    async upload(file: string, name: string) {
      await api.openFiles();
      // The real input behind the Upload button (a hidden <input type=file>).
      const input = (await page.waitForSelector(
        v.tid('sandbox-upload-input'),
      )) as ElementHandle<HTMLInputElement>;
      await input.uploadFile(file);
      await api.waitForFile(name);
    },
    async waitForFile(name: string, timeout = 30_000) {
      await page.waitForSelector(`${v.tid('sandbox-file-item')}[data-path="${name}"]`, {
        timeout,
      });
    },
    async fileNames(): Promise<string[]> {
      return page.$$eval(v.tid('sandbox-file-item'), (els) =>
        els.map((e) => e.getAttribute('data-path') ?? ''),
      );
    },
    /** The last run_code card's state (pending, running, done, denied). */
    async cardStatus(): Promise<string> {
      return page.$$eval(CARD, (els) => els.at(-1)?.getAttribute('data-state') ?? '');
    },
    /** Clicks a button (by test id) on the last run_code card. */
    async clickOnCard(testid: string) {
      const sel = `${CARD} ${v.tid(testid)}`;
      await page.waitForSelector(sel, { visible: true });
      // The list re-renders as the answer settles: retry on a node that was just replaced.
      for (let attempt = 0; ; attempt++) {
        try {
          const buttons = await page.$$(sel);
          const last = buttons.at(-1);
          if (!last) throw new Error(`no ${testid} on the run_code card`);
          await last.scrollIntoView();
          await last.click();
          return;
        } catch (e) {
          if (attempt >= 4) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    async waitForCard(status: string, timeout = 60_000) {
      await page.waitForFunction(
        (sel, s) => [...document.querySelectorAll(sel)].at(-1)?.getAttribute('data-state') === s,
        { timeout },
        CARD,
        status,
      );
    },
    /** Text inside the last card's element with this test id ('' when absent). */
    async cardText(testid: string): Promise<string> {
      return page.$$eval(
        CARD,
        (els, sel) => els.at(-1)?.querySelector(sel)?.textContent ?? '',
        v.tid(testid),
      );
    },
    /** Waits until the last card's live output contains `text` (while it runs). */
    async waitForLiveOutput(text: string, timeout = 60_000) {
      await page.waitForFunction(
        (sel, t) => (document.querySelector(sel)?.textContent ?? '').includes(t),
        { timeout },
        v.tid('run-live-output'),
        text,
      );
    },
    /** Natural size of the last card's images once loaded. */
    async images(): Promise<{ path: string; src: string; width: number; height: number }[]> {
      await page.waitForFunction(
        (sel) => {
          const imgs = [...document.querySelectorAll<HTMLImageElement>(sel)];
          return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
        },
        { timeout: 30_000 },
        v.tid('run-image'),
      );
      return page.$$eval(v.tid('run-image'), (els) =>
        (els as HTMLImageElement[]).map((i) => ({
          path: i.getAttribute('data-path') ?? '',
          src: i.src,
          width: i.naturalWidth,
          height: i.naturalHeight,
        })),
      );
    },
    async clickDownload(path: string) {
      const el = await page.waitForSelector(`${v.tid('run-file-download')}[data-path="${path}"]`, {
        visible: true,
        timeout: 30_000,
      });
      await el!.click();
    },
  };
  return api;
}
export type SandboxPage = ReturnType<typeof sandboxPage>;
