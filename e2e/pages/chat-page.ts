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
    async streamingText() {
      const el = await page.$(v.tid('msg-streaming'));
      return el ? el.evaluate((e) => (e as HTMLElement).innerText) : '';
    },
  };
  return api;
}
export type ChatPage = ReturnType<typeof chatPage>;
