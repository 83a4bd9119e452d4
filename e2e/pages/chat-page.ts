import type { Page } from 'puppeteer';
import { vaultPage } from './vault-page';

/** Page object for the chat side panel (built on the vault page object). */
export function chatPage(page: Page) {
  const v = vaultPage(page);
  const api = {
    ...v,
    /** Starts a new conversation using this provider (by its label) and model. */
    async newConversation(providerLabel: string, model: string) {
      await v.click('conv-new');
      await api.openModelBar();
      const handle = await page.waitForFunction(
        (sel, l) =>
          [...document.querySelectorAll<HTMLOptionElement>(sel)].find((o) => o.textContent === l)
            ?.value,
        { timeout: 10_000 },
        `${v.tid('provider-select')} option`,
        providerLabel,
      );
      const value = (await handle.jsonValue()) as string;
      await page.select(v.tid('provider-select'), value);
      await v.fill('model-select', model);
      await page.keyboard.press('Enter');
    },
    async openModelBar() {
      await page.$eval(v.tid('model-bar'), (d) => ((d as HTMLDetailsElement).open = true));
    },
    /** Sets the open conversation's "Use memory" switch and waits until it shows `on`. */
    async setUseMemory(on: boolean) {
      await api.openModelBar();
      const box = v.tid('memory-toggle');
      const checked = () => page.$eval(box, (e) => (e as HTMLInputElement).checked);
      if ((await checked()) !== on) await v.click('memory-toggle');
      await page.waitForFunction(
        (sel, want) => document.querySelector<HTMLInputElement>(sel)?.checked === want,
        { timeout: 10_000 },
        box,
        on,
      );
    },
    /** The id of the last saved message ('' when none). */
    async lastId(): Promise<string> {
      return page.$$eval(v.tid('msg-item'), (els) => els.at(-1)?.getAttribute('data-msg-id') ?? '');
    },
    /** Sends and returns the id of the message that was last before it. */
    async send(text: string): Promise<string> {
      const before = await api.lastId();
      await v.fill('composer-input', text);
      await page.keyboard.press('Enter');
      return before;
    },
    /** Clicks the last `testid` button and returns the id of the message that was last. */
    async clickLast(testid: string): Promise<string> {
      const before = await api.lastId();
      const all = await page.$$(v.tid(testid));
      const last = all.at(-1);
      if (!last) throw new Error(`no ${testid}`);
      // Messages use content-visibility: auto, so an off-screen one changes size as it
      // scrolls in; Firefox computes the click point before that. Scroll first and let
      // its box settle over two frames.
      await last.evaluate(async (e) => {
        e.scrollIntoView({ block: 'center' });
        const frame = () => new Promise((r) => requestAnimationFrame(r));
        let box = '';
        while (box !== JSON.stringify(e.getBoundingClientRect())) {
          box = JSON.stringify(e.getBoundingClientRect());
          await frame();
          await frame();
        }
      });
      await last.click();
      return before;
    },
    /** Saved messages as { role, status, text }. */
    async messages() {
      return page.$$eval(v.tid('msg-item'), (els) =>
        els.map((e) => ({
          role: e.getAttribute('data-role') ?? '',
          status: e.getAttribute('data-status') ?? '',
          // textContent: off-screen messages use content-visibility, and innerText skips them.
          text: e.textContent ?? '',
        })),
      );
    },
    async lastMessage() {
      const all = await api.messages();
      return all.at(-1);
    },
    /**
     * Waits until no answer streams and the last message is a new assistant message
     * (not `previousLastId`, the last one before the action).
     */
    async waitAnswered(previousLastId: string, timeout = 30_000) {
      await page.waitForFunction(
        (streamSel, itemSel, prev) => {
          if (document.querySelector(streamSel)) return false;
          const items = document.querySelectorAll(itemSel);
          const last = items[items.length - 1];
          return (
            last?.getAttribute('data-role') === 'assistant' &&
            last.getAttribute('data-msg-id') !== prev
          );
        },
        { timeout },
        v.tid('msg-streaming'),
        v.tid('msg-item'),
        previousLastId,
      );
      const last = await api.lastMessage();
      if (!last) throw new Error('no message');
      return last;
    },
    /** Titles in the conversation list as shown (after the search filter). */
    async conversationTitles(): Promise<string[]> {
      return page.$$eval(v.tid('conv-item'), (els) =>
        els.map((e) => (e as HTMLElement).innerText.trim()),
      );
    },
    /** Types a search and waits until the list shows exactly `count` conversations. */
    async search(query: string, count: number) {
      await v.fill('conv-search', query);
      await page.waitForFunction(
        (sel, n) => document.querySelectorAll(sel).length === n,
        { timeout: 10_000 },
        v.tid('conv-item'),
        count,
      );
    },
    /** Ids of the saved messages of the open conversation. */
    async messageIds(): Promise<string[]> {
      return page.$$eval(v.tid('msg-item'), (els) =>
        els.map((e) => e.getAttribute('data-msg-id') ?? '').filter(Boolean),
      );
    },
    /**
     * Raw IndexedDB rows of one store, as stored: plain fields plus the envelope bytes
     * as a latin1 string (for "no plaintext at rest" checks).
     */
    async rawRows(store: 'conversations' | 'messages') {
      return page.evaluate(async (name) => {
        const db = await new Promise<IDBDatabase>((res, rej) => {
          const r = indexedDB.open('nook');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const rows = await new Promise<Record<string, unknown>[]>((res, rej) => {
          const r = db.transaction(name).objectStore(name).getAll();
          r.onsuccess = () => res(r.result as Record<string, unknown>[]);
          r.onerror = () => rej(r.error);
        });
        db.close();
        return rows.map((row) => ({
          id: String(row.id),
          deleted: Number(row.deleted),
          conversationId: typeof row.conversationId === 'string' ? row.conversationId : '',
          env: Array.from(row.env as Uint8Array, (b) => String.fromCharCode(b)).join(''),
        }));
      }, store);
    },
    async streamingText() {
      const el = await page.$(v.tid('msg-streaming'));
      return el ? el.evaluate((e) => (e as HTMLElement).innerText) : '';
    },
  };
  return api;
}
export type ChatPage = ReturnType<typeof chatPage>;
