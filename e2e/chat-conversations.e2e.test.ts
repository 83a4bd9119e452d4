import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderDouble, type ProviderDouble } from './doubles/provider-double';
import { launchWithExtension, waitFor, type ExtensionBrowser } from './harness/browser';
import { sealConversation, unlockPageVault, writeRows } from './harness/seed-conversation';
import {
  addDoubleProvider,
  launchChatBrowser,
  patchedBuild,
  removeDirs,
  type ChatBrowser,
} from './harness/chat-extension';
import { chatPage, type ChatPage } from './pages/chat-page';
import { optionsPage } from './pages/options-page';
import { vaultPage, type VaultPage } from './pages/vault-page';

// The conversation list in the built extension (Chromium) against the provider double:
// New, full-text search over the encrypted store (titles, questions and answers), Rename,
// Delete (with its confirmation), what IndexedDB holds afterwards, and all of it again
// after a browser restart. Also: removing the OpenAI-compatible provider in Options
// removes its declarativeNetRequest Origin rule.

const KEY = 'sk-e2e-conversations-4Rt8';
const PASS = 'correct horse battery staple conversations';

interface DnrRule {
  id: number;
  condition: { urlFilter?: string };
}

describe('conversation list (Chromium, built extension, provider double)', () => {
  let double: ProviderDouble;
  let ext: ChatBrowser;
  let chat: ChatPage;
  const extDir = patchedBuild();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-conversations-'));
  const marker = `quokka${Date.now().toString(36)}`;
  const answerWord = `xylo${Date.now().toString(36)}`;

  const dynamicRules = (): Promise<DnrRule[]> =>
    chat.page.evaluate(() =>
      (
        globalThis as unknown as {
          chrome: { declarativeNetRequest: { getDynamicRules(): Promise<DnrRule[]> } };
        }
      ).chrome.declarativeNetRequest.getDynamicRules(),
    );

  beforeAll(async () => {
    double = await createProviderDouble({ apiKey: KEY, host: '127.0.0.1' });
    ext = await launchChatBrowser(extDir, userDataDir);
    chat = chatPage(await ext.openPage('sidepanel.html'));
    await chat.createVault(PASS);
    for (const p of [
      { kind: 'openai', label: 'OpenAI double' },
      { kind: 'openai-compatible', label: 'Ollama double' },
    ] as const)
      await addDoubleProvider(ext, double, { ...p, apiKey: KEY });
  });
  afterAll(async () => {
    await ext?.close();
    await double?.close();
    removeDirs(extDir, userDataDir);
  });

  it('New starts an empty conversation; search finds titles, questions and answers', async () => {
    await chat.click('conv-new');
    double.script({ kind: 'text', text: `The garden answer mentions ${answerWord} once.` });
    let prev = await chat.send(`Alpha ${marker} gardens question`);
    await chat.waitAnswered(prev);
    await chat.newConversation('Ollama double', 'double-small');
    expect(await chat.messageIds()).toEqual([]);
    prev = await chat.send(`Beta ${marker} rivers question`);
    await chat.waitAnswered(prev);
    await chat.click('conv-new');
    prev = await chat.send(`Gamma ${marker} mountains question`);
    await chat.waitAnswered(prev);

    await chat.search(marker, 3);
    await chat.search(`${marker} rivers`, 1);
    // A word only the assistant said, and words in any order, any case.
    await chat.search(answerWord, 1);
    expect((await chat.conversationTitles())[0]).toMatch(/^Alpha/);
    await chat.search(`MOUNTAINS gamma`, 1);
    await chat.search(`${marker} nothing-like-this`, 0);
    expect(await chat.text('conv-list')).toMatch(/no conversation matches/i);
  });

  it('renames a conversation; the new title is found and stored only encrypted', async () => {
    await chat.search(`${marker} gardens`, 1);
    await chat.click('conv-item');
    await waitFor(async () => (await chat.messageIds()).length === 2, 'the opened conversation');
    await chat.click('conv-rename');
    await chat.fill('conv-rename-input', `Renamed ${marker} parrots`);
    await chat.click('conv-rename-save');
    await chat.search('parrots', 1);
    expect(await chat.conversationTitles()).toEqual([`Renamed ${marker} parrots`]);
    // Cancel leaves the title alone.
    await chat.click('conv-item');
    await chat.click('conv-rename');
    await chat.fill('conv-rename-input', 'Not this title');
    await chat.click('conv-rename-cancel');
    await chat.search('parrots', 1);
    const rows = await chat.rawRows('conversations');
    expect(rows.length).toBe(3);
    for (const word of ['parrots', 'Alpha', 'gardens', marker])
      expect(rows.some((r) => r.env.includes(word))).toBe(false);
    const messages = await chat.rawRows('messages');
    for (const word of [answerWord, marker])
      expect(messages.some((r) => r.env.includes(word))).toBe(false);
  });

  it('deletes a conversation after confirming; it and its messages become tombstones', async () => {
    await chat.search(`${marker} rivers`, 1);
    await chat.click('conv-item');
    await waitFor(async () => (await chat.messageIds()).length === 2, 'the opened conversation');
    const ids = await chat.messageIds();
    const conversationId =
      (await chat.rawRows('messages')).find((r) => r.id === ids[0])?.conversationId ?? '';
    expect(conversationId).not.toBe('');

    await chat.click('conv-delete');
    await chat.click('conv-delete-cancel');
    await chat.search(`${marker} rivers`, 1);
    expect(await chat.has('conv-delete-confirm')).toBe(false);

    await chat.click('conv-delete');
    await chat.click('conv-delete-confirm');
    await chat.search(`${marker} rivers`, 0);
    await chat.search(marker, 2);
    // Nothing of the deleted conversation stays open on screen.
    expect(await chat.messageIds()).toEqual([]);
    await waitFor(
      async () =>
        (await chat.rawRows('conversations')).find((r) => r.id === conversationId)?.deleted === 1,
      'the conversation tombstone',
    );
    const tombstones = (await chat.rawRows('messages')).filter((r) => ids.includes(r.id));
    expect(tombstones).toHaveLength(ids.length);
    // Tombstones keep no plain conversation id either.
    expect(tombstones.every((r) => r.deleted === 1 && r.conversationId === '')).toBe(true);
  });

  it('removing the compatible provider in Options removes its Origin rule', async () => {
    expect((await dynamicRules()).map((r) => r.condition.urlFilter)).toEqual([`|${double.url}/`]);
    const o = optionsPage(await ext.openPage('options.html'));
    await o.visible('providers-section');
    let removed = 0;
    for (const item of await o.page.$$(o.tid('provider-item'))) {
      if (!(await item.evaluate((e) => (e as HTMLElement).innerText)).includes('Ollama double'))
        continue;
      await (await item.$(o.tid('provider-remove')))?.click();
      removed += 1;
    }
    expect(removed).toBe(1);
    expect(await o.text('providers-status')).toMatch(/removed ollama double/i);
    await waitFor(async () => (await dynamicRules()).length === 0, 'the Origin rule removed');
    expect(await o.providerItems()).toHaveLength(1);
    await o.page.close();
  });

  it('after a browser restart and unlock: renamed found, deleted gone, answers searchable', async () => {
    await ext.close();
    ext = await launchChatBrowser(extDir, userDataDir);
    chat = chatPage(await ext.openPage('sidepanel.html'));
    await chat.visible('unlock-screen');
    await chat.unlockExpectingApp(PASS);
    await chat.search(marker, 2);
    await chat.search('parrots', 1);
    await chat.search(`${marker} rivers`, 0);
    await chat.search(answerWord, 1);
    await chat.click('conv-item');
    await waitFor(
      async () => (await chat.text('msg-list')).includes(`mentions ${answerWord} once`),
      'the saved answer',
    );
    expect(await dynamicRules()).toEqual([]);
  });
});

// A long conversation (sealed in Node with the vault's keys and written raw into IndexedDB,
// as the extension stores it) opens at its newest message with only the newest ones
// mounted; scrolling up mounts older ones while what the user reads stays in place.
describe('a long conversation (Chromium, built extension)', () => {
  const N = 300;
  let ext: ExtensionBrowser;
  let v: VaultPage;

  beforeAll(async () => {
    ext = await launchWithExtension();
    v = vaultPage(await ext.openPage('sidepanel.html'));
    await v.createVault(PASS);
    await seedConversation(v, N);
    await v.page.reload({ waitUntil: 'load' });
    await v.visible('app-root');
  });
  afterAll(async () => {
    await ext?.close();
  });

  /** Geometry of the list and of its mounted messages (tops relative to the list's top). */
  const layout = () =>
    v.page.$eval('[data-testid="msg-list"]', (list) => {
      const top = list.getBoundingClientRect().top;
      const items = Array.from(list.querySelectorAll('[data-testid="msg-item"]'));
      return {
        fromBottom: list.scrollHeight - list.scrollTop - list.clientHeight,
        height: list.clientHeight,
        items: items.map((el) => ({
          id: el.getAttribute('data-msg-id'),
          // textContent: messages far off screen are not rendered (content-visibility).
          text: el.textContent ?? '',
          top: el.getBoundingClientRect().top - top,
          bottom: el.getBoundingClientRect().bottom - top,
        })),
      };
    });

  it('opens at the newest message, then mounts older ones as the user scrolls up', async () => {
    const item = await waitFor(async () => {
      for (const el of await v.page.$$(v.tid('conv-item')))
        if ((await el.evaluate((e) => (e as HTMLElement).innerText)).includes('Long chat'))
          return el;
      return undefined;
    }, 'the long conversation in the list');
    await item.click();
    await waitFor(async () => {
      const l = await layout();
      return l.items.at(-1)?.text.includes(`Long message ${N - 1}.`) && l.fromBottom < 2;
    }, 'the newest message');
    const opened = await layout();
    expect(opened.items.length).toBeLessThan(N);
    const newest = opened.items.at(-1)!;
    expect(newest.top).toBeLessThan(opened.height);
    expect(newest.bottom).toBeGreaterThan(0);

    // Scroll to the top of what is mounted: older messages are inserted above, and the
    // message that was at the top stays exactly where it was on screen.
    let mounted = opened.items.length;
    while (mounted < N) {
      // Scrolled to the top, before anything older is mounted (that happens a frame later).
      const oldest = await v.page.$eval('[data-testid="msg-list"]', (list) => {
        list.scrollTop = 0;
        const first = list.querySelector('[data-testid="msg-item"]') as HTMLElement;
        return {
          id: first.getAttribute('data-msg-id'),
          top: first.getBoundingClientRect().top - list.getBoundingClientRect().top,
        };
      });
      const after = await waitFor(async () => {
        const l = await layout();
        return l.items.length > mounted ? l : undefined;
      }, 'older messages');
      await new Promise((r) => setTimeout(r, 200));
      const settled = await layout();
      const same = settled.items.find((i) => i.id === oldest.id);
      expect(Math.abs((same?.top ?? Infinity) - oldest.top)).toBeLessThan(2);
      mounted = after.items.length;
    }
    const all = await layout();
    expect(all.items[0]?.text).toContain('Long message 0.');
    expect(await v.has('msg-show-earlier')).toBe(false);
  });
});

/** Writes a conversation of `n` messages, sealed with the unlocked vault's own keys. */
async function seedConversation(v: VaultPage, n: number): Promise<void> {
  const { vault } = await unlockPageVault(v.page, PASS);
  const rows = await sealConversation(vault, {
    id: 'long-conversation',
    title: 'Long chat',
    n,
    t0: Date.UTC(2026, 0, 1),
    messageId: (i) => `long-m${String(i).padStart(4, '0')}`,
    // Heights vary, as in a real chat: some messages are a line, some a few paragraphs.
    content: (i) =>
      `Long message ${i}. ${'A sentence of ordinary prose. '.repeat(1 + ((i * 7) % 23))}`,
  });
  await writeRows(v.page, rows);
}
