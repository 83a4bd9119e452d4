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
import { vaultPage } from './pages/vault-page';

// Long-term memory in the built extension, against the provider double: the model saves a
// fact with save_memory ("Remembered: …" with Undo), Options → Memory lists it with its
// conversation, later conversations get it in their system prompt, and the per-conversation
// "Use memory" switch, Undo and Delete in Options each take it out of what is sent.

const KEY = 'sk-e2e-memory-9f3KqT2a1B2';
const PASS = 'correct horse battery staple memory';
const FACT = 'Prefers metric units';
const CAT = 'Has a cat named Miso';

/** The system prompt and tool names of one OpenAI-format chat request. */
function sentOf(body: unknown) {
  const b = (body ?? {}) as {
    messages?: { role: string; content: unknown }[];
    tools?: { function?: { name?: string } }[];
  };
  const system = b.messages?.find((m) => m.role === 'system')?.content;
  return {
    system: typeof system === 'string' ? system : '',
    tools: (b.tools ?? []).map((t) => t.function?.name ?? ''),
  };
}

describe('long-term memory in chat (Chromium, built extension, provider double)', () => {
  let double: ProviderDouble;
  let ext: ChatBrowser;
  let chat: ChatPage;
  const extDir = patchedBuild();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-memory-'));

  const posts = () => double.requests.filter((r) => r.method === 'POST');
  /**
   * Sends `text`, waits for `requests` chat requests (a tool call adds one) and for the
   * saved echo of `text` as the last message; returns what each request sent.
   */
  const ask = async (text: string, requests = 1) => {
    const before = posts().length;
    await chat.send(text);
    await waitFor(async () => posts().length >= before + requests, 'the requests at the double');
    await waitFor(
      async () =>
        !(await chat.has('msg-streaming')) &&
        (await chat.lastMessage())?.text.includes(`Echo: ${text}`),
      'the saved answer',
    );
    return posts()
      .slice(before)
      .map((r) => sentOf(r.body));
  };
  /** Options → Memory in a new tab: each entry's text and source line. */
  const memoryList = async () => {
    const o = vaultPage(await ext.openPage('options.html'));
    await o.visible('memory-section');
    // The list loads after unlock; an empty memory shows its own line.
    await o.page.waitForSelector(`${o.tid('memory-item')}, ${o.tid('memory-empty')}`);
    return o;
  };
  const entriesOf = (o: ReturnType<typeof vaultPage>) =>
    o.page.$$eval(o.tid('memory-item'), (els) =>
      els.map((e) => ({
        text: e.querySelector('[data-testid="memory-text"]')?.textContent ?? '',
        source: e.querySelector('[data-testid="memory-source"]')?.textContent ?? '',
      })),
    );
  const openConversation = async (index: number) => {
    const items = await chat.page.$$(chat.tid('conv-item'));
    await items[index]?.click();
    await chat.page.waitForSelector(`${chat.tid('conv-item')}[aria-current="true"]`);
    await chat.visible('msg-item');
  };

  beforeAll(async () => {
    double = await createProviderDouble({ apiKey: KEY, host: '127.0.0.1' });
    ext = await launchChatBrowser(extDir, userDataDir);
    chat = chatPage(await ext.openPage('sidepanel.html'));
    await chat.createVault(PASS);
    await addDoubleProvider(ext, double, { kind: 'openai', label: 'Double', apiKey: KEY });
  }, 120_000);
  afterAll(async () => {
    await ext?.close();
    await double?.close();
    removeDirs(extDir, userDataDir);
  });

  it('the model saves a fact: "Remembered" in the chat, the entry in Options with its conversation', async () => {
    double.script({ kind: 'tool-call', name: 'save_memory', arguments: { text: FACT } });
    const sent = await ask('Please remember that I use metric units', 2);
    expect(sent[0]?.tools).toContain('save_memory');
    expect(await chat.text('memory-remembered')).toContain(`Remembered: ${FACT}`);
    // The answer after the tool already carries the new fact.
    expect(sent[1]?.system).toContain(`- ${FACT}`);

    const o = await memoryList();
    expect(await entriesOf(o)).toEqual([
      {
        text: FACT,
        source: expect.stringMatching(/Saved by the assistant · from “Please remember that/),
      },
    ]);
    await o.page.close();
  });

  it('a new conversation sends the memory, delimited, in its system prompt', async () => {
    await chat.click('conv-new');
    const [sent] = await ask('How long is a marathon?');
    expect(sent?.system).toMatch(new RegExp(`<user_memory>\\n- ${FACT}\\n</user_memory>$`));
    expect(sent?.tools).toContain('save_memory');
  });

  it('"Use memory" off sends no memory (and offers no save_memory) in that conversation only', async () => {
    await chat.setUseMemory(false);
    const [off] = await ask('And a half marathon?');
    expect(off?.system).not.toContain('user_memory');
    expect(off?.system).not.toContain(FACT);
    expect(off?.tools).not.toContain('save_memory');
    expect(await chat.text('model-bar')).toContain('memory off');

    // The first conversation still uses memory.
    await openConversation(1);
    const [on] = await ask('Which units do I like?');
    expect(on?.system).toContain(`- ${FACT}`);

    // Back on in the second conversation: memory is sent again.
    await openConversation(1);
    await chat.setUseMemory(true);
    const [again] = await ask('And a 10k race?');
    expect(again?.system).toContain(`- ${FACT}`);
  });

  it('Undo forgets a saved fact, and deleting one in Options removes it from later requests', async () => {
    double.script({ kind: 'tool-call', name: 'save_memory', arguments: { text: CAT } });
    await ask('My cat is called Miso', 2);
    const cards = await chat.page.$$(chat.tid('memory-remembered'));
    expect(await cards.at(-1)?.evaluate((e) => e.textContent)).toContain(CAT);
    await chat.clickLast('memory-undo');
    await waitFor(
      async () => (await chat.page.$$(chat.tid('memory-undo'))).length === cards.length - 1,
      'the undone card',
    );
    const [afterUndo] = await ask('What is my cat called?');
    expect(afterUndo?.system).toContain(`- ${FACT}`);
    expect(afterUndo?.system).not.toContain('Miso');

    const o = await memoryList();
    expect((await entriesOf(o)).map((e) => e.text)).toEqual([FACT]);
    await o.click('memory-delete');
    await o.visible('memory-empty');
    await o.page.close();

    await chat.page.bringToFront();
    const [afterDelete] = await ask('Anything you remember?');
    expect(afterDelete?.system).not.toContain('user_memory');
    expect(afterDelete?.system).not.toContain(FACT);
  });
});
