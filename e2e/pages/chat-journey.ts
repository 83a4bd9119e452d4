import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderDouble, type ProviderDouble } from '../doubles/provider-double';
import { waitFor } from '../harness/browser';
import { chatPage, type ChatPage } from './chat-page';
import { providerScenario } from './chat-provider-scenario';
import { grantLoopback } from './loopback-build';
import { optionsPage } from './options-page';
import type { JourneyTarget, LaunchedExtension } from './targets';

// The chat journey in the built extension, in the target's browser, against the provider
// double, for each of the four provider kinds in one shared browser: add the provider in
// Options, stream, stop, regenerate, the error matrix, then a browser restart and search.
//
// Host permission: the browser's permissions.request prompt cannot be clicked headless, so
// the test runs a copy of the build whose manifest already grants http://127.0.0.1/* — as
// if the user had pressed Allow once. The real Save/Test code still calls
// permissions.request (which then resolves true without a prompt) and installs the
// declarativeNetRequest Origin rule; the Ollama route of the double refuses extension
// Origins, so the compatible provider only works if that rule does.

const KEY = 'sk-e2e-chat-9f3KqT2a1B2';
const PASS = 'correct horse battery staple chat';
const KINDS = [
  { kind: 'openai', api: 'openai', label: 'OpenAI double' },
  { kind: 'anthropic', api: 'anthropic', label: 'Anthropic double' },
  { kind: 'gemini', api: 'gemini', label: 'Gemini double' },
  { kind: 'openai-compatible', api: 'ollama', label: 'Ollama double' },
] as const;

/** Registers the chat journey for `target`'s browser. */
export function chatJourney(target: JourneyTarget): void {
  describe(`chat (${target.name}, built extension, provider double)`, () => {
    let double: ProviderDouble;
    let ext: LaunchedExtension;
    let chat: ChatPage;
    const extDir = grantLoopback(target.build, 'nook-chat-ext-');
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-chat-'));
    const marker = `zebra${Date.now().toString(36)}`;

    beforeAll(async () => {
      double = await createProviderDouble({ apiKey: KEY, host: '127.0.0.1' });
      ext = await target.launch({ extensionDir: extDir, userDataDir });
      chat = chatPage(await ext.openPage('sidepanel.html'));
      await chat.createVault(PASS);
    });
    afterAll(async () => {
      await ext?.close();
      await double?.close();
      // Both directories were made by this test (the copy of the build, the profile).
      fs.rmSync(extDir, { recursive: true, force: true });
      fs.rmSync(userDataDir, { recursive: true, force: true });
    });

    it('adds each provider in Options: inline validation, test connection, masked key', async () => {
      const o = optionsPage(await ext.openPage('options.html'));
      await o.visible('providers-section');
      // Validation before any request: no key, then plain http to a remote host.
      const before = double.requests.length;
      await o.fillProvider({ kind: 'openai', label: 'Bad', apiKey: '' });
      await o.click('provider-save');
      expect(await o.text('provider-issue-apiKey')).toMatch(/paste your api key/i);
      await o.fill('provider-key', KEY);
      await o.fill('provider-base-url', 'http://example.com/v1');
      await o.click('provider-test');
      expect(await o.text('provider-issue-baseUrl')).toMatch(/plain http/i);
      expect(double.requests.length).toBe(before);
      await ext.reload(o.page);
      await o.visible('providers-section');

      for (const k of KINDS) {
        await o.fillProvider({
          kind: k.kind,
          label: k.label,
          apiKey: KEY,
          baseUrl: double.baseUrl(k.api),
        });
        expect(await o.testConnection()).toMatch(/connected\. 2 models/i);
        await o.page.select(o.tid('provider-model-list'), 'double-small');
        await o.save(k.label);
      }
      const items = await o.providerItems();
      expect(items).toHaveLength(4);
      for (const item of items) expect(item).toContain('sk-…a1B2');
      expect(await o.bodyText()).not.toContain(KEY);
      // The first saved provider became the default.
      expect(items[0]).toMatch(/default/);
      await o.page.close();
    });

    for (const k of KINDS) {
      it(`${k.label}: streams, stops, retries, regenerates and survives every error`, async () => {
        await providerScenario({ chat, double, api: k.api, label: k.label, marker });
      });
    }

    it('removes the Origin header only for the compatible server origin (declarativeNetRequest)', async () => {
      const posts = double.requests.filter((r) => r.api === 'ollama' && r.method === 'POST');
      expect(posts.length).toBeGreaterThan(0);
      for (const r of posts) expect(r.headers.origin).toBeUndefined();
      // One dynamic rule, scoped to exactly that origin (the double serves every kind on
      // one port, so the official-kind routes here share it; real hosts differ).
      const rules = await chat.page.evaluate(() => {
        // The page's own chrome namespace; typed here as much as the test reads.
        const dnr = (
          globalThis as unknown as {
            chrome: {
              declarativeNetRequest: {
                getDynamicRules(): Promise<{ condition: { urlFilter?: string } }[]>;
              };
            };
          }
        ).chrome.declarativeNetRequest;
        return dnr.getDynamicRules();
      });
      expect(rules.map((r) => r.condition.urlFilter)).toEqual([`|${double.url}/`]);
    });

    it('edits and resends a user message, dropping what came after it', async () => {
      const before = (await chat.messages()).length;
      await chat.clickLast('msg-edit');
      await chat.fill('msg-edit-input', 'edited question');
      await chat.click('msg-edit-save');
      await waitFor(
        async () => (await chat.lastMessage())?.text.includes('Echo: edited question'),
        'the answer to the edit',
      );
      expect((await chat.messages()).length).toBe(before);
    });

    it('uses the default provider and a persona from Options as the system prompt', async () => {
      const o = optionsPage(await ext.openPage('options.html'));
      await o.fill('persona-name', 'Pirate');
      await o.fill('persona-prompt', 'Answer like a pirate.');
      await o.click('persona-save');
      expect(await o.text('persona-status')).toMatch(/saved persona pirate/i);
      await o.page.close();

      await chat.click('conv-new');
      await chat.openModelBar();
      const handle = await chat.page.waitForFunction(
        (sel) =>
          [...document.querySelectorAll<HTMLOptionElement>(sel)].find(
            (x) => x.textContent === 'Pirate',
          )?.value,
        { timeout: 10_000 },
        `${chat.tid('persona-select')} option`,
      );
      await chat.page.select(chat.tid('persona-select'), (await handle.jsonValue()) as string);
      await waitFor(
        async () =>
          (await chat.page.$eval(
            chat.tid('system-prompt'),
            (e) => (e as HTMLTextAreaElement).value,
          )) === 'Answer like a pirate.',
        'the persona prompt',
      );
      const prev = await chat.send('ahoy there');
      const last = await chat.waitAnswered(prev);
      expect(last.text).toContain('Echo: ahoy there');
      // Screen readers hear the finished answer once, from the one live region.
      await waitFor(
        async () => (await chat.text('msg-announcer')).includes('Echo: ahoy there'),
        'the finished answer announced',
      );
      expect(await chat.page.$$eval('[aria-live]', (els) => els.length)).toBe(1);
      // No provider chosen: the default (the first saved, OpenAI double) answered.
      const body = JSON.stringify(double.requests.filter((r) => r.method === 'POST').at(-1)?.body);
      expect(body).toContain('Answer like a pirate.');
      expect(double.requests.at(-1)?.api).toBe('openai');
    });

    it('never shows the API key, and finds the conversation after a browser restart', async () => {
      expect(await chat.bodyText()).not.toContain(KEY);
      // The key travels in headers only, never in a URL (URLs end up in logs and history).
      expect(double.requests.filter((r) => `${r.path}${r.search}`.includes(KEY))).toEqual([]);
      await ext.close();
      ext = await target.launch({ extensionDir: extDir, userDataDir });
      chat = chatPage(await ext.openPage('sidepanel.html'));
      await chat.visible('unlock-screen');
      await chat.unlockExpectingApp(PASS);
      await chat.fill('conv-search', `${marker} gemini`);
      await waitFor(
        async () => (await chat.page.$$(chat.tid('conv-item'))).length === 1,
        'search hit',
      );
      await chat.click('conv-item');
      await waitFor(
        // textContent: off-screen messages use content-visibility, and innerText skips them.
        async () =>
          (await chat.messages()).some((m) => m.text.includes('Streaming answer from gemini')),
        'the saved answer',
      );
      expect(await chat.bodyText()).not.toContain(KEY);
    });
  });
}
