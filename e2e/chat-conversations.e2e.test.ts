import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderDouble, type ProviderDouble } from './doubles/provider-double';
import { waitFor } from './harness/browser';
import {
  addDoubleProvider,
  launchChatBrowser,
  patchedBuild,
  removeDirs,
  type ChatBrowser,
} from './harness/chat-extension';
import { chatPage, type ChatPage } from './pages/chat-page';
import { optionsPage } from './pages/options-page';

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
