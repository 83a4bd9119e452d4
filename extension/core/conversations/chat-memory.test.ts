import { beforeAll, describe, expect, it } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import { createMemoryRepos } from '../../adapters/db/repos';
import type { ChatRequest, ProviderAdapter } from '../chat/provider';
import { createProviderRegistry } from '../chat/provider-registry';
import { createMemoryStore } from '../memory/memory-store';
import { MEMORY_BLOCK_BEGIN, memoryContext } from '../memory/select-memories';
import { createRedactor } from '../redaction';
import { MEMORY_UNREADABLE_NOTICE } from './answer-system';
import { createChatController, type ChatControllerDeps } from './chat-controller';

// Long-term memory in answers: the engine asks `deps.memory` for the block relevant to the
// user's message and appends it to the system prompt, redacted like the user's messages.

let vault: UnlockedVault;
beforeAll(async () => {
  vault = (await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })).vault;
});

/** An adapter that records each request and answers with `reply` (or an echo). */
function recordingAdapter(reply?: string) {
  const requests: ChatRequest[] = [];
  const adapter: ProviderAdapter = {
    kind: 'openai',
    stream(req) {
      requests.push(req);
      const text = reply ?? `Echo: ${req.turns.at(-1)?.content ?? ''}`;
      return (async function* () {
        yield { type: 'text', delta: text } as const;
        yield { type: 'done', finishReason: 'stop' } as const;
      })();
    },
    listModels: () => Promise.resolve(['m1']),
    testConnection: () => Promise.resolve(),
  };
  return { adapter, requests };
}

async function setup(extra: Partial<ChatControllerDeps> = {}, reply?: string) {
  const { repos } = createMemoryRepos(() => vault);
  const fake = recordingAdapter(reply);
  const providers = createProviderRegistry({
    repo: repos.providers,
    createAdapter: () => fake.adapter,
  });
  await providers.save({
    id: '',
    kind: 'openai',
    label: 'Test AI',
    apiKey: 'sk-unit-key-123456',
    defaultModel: 'm1',
  });
  const memory = createMemoryStore({ repo: repos.memory });
  const chat = createChatController({
    conversations: repos.conversations,
    messages: repos.messages,
    providers,
    memory: (c, query) => memoryContext(memory, c, query),
    ...extra,
  });
  await chat.load();
  return { chat, repos, memory, requests: fake.requests };
}

async function ask(chat: Awaited<ReturnType<typeof setup>>['chat'], text: string) {
  expect(await chat.send(text)).toBe(true);
  await chat.whenIdle();
}

describe('chat engine with long-term memory', () => {
  it('appends the relevant memories, delimited, after the conversation’s own system prompt', async () => {
    const { chat, memory, requests } = await setup();
    await memory.add({ text: 'Prefers metric units', source: 'user' });
    await memory.add({ text: 'Has a cat named Miso', source: 'model', conversationId: 'c0' });
    await chat.setOptions({ systemPrompt: 'Be brief.' });
    await ask(chat, 'Ideas for my cat Miso?');
    const system = requests.at(-1)?.system ?? '';
    expect(system.startsWith('Be brief.\n\n')).toBe(true);
    expect(system).toContain(`${MEMORY_BLOCK_BEGIN}\n- Has a cat named Miso`);
    expect(system).toMatch(/<\/user_memory>$/);
    // The memory lives in the system prompt only, never in the saved messages.
    const saved = chat.getState().messages.flatMap((m) => (m.ok ? [m.value.content] : []));
    expect(saved.join('\n')).not.toContain('metric');
  });

  it('sends no memory once "Use memory" is off, and again after it is back on', async () => {
    const { chat, memory, requests } = await setup();
    await memory.add({ text: 'Lives in Zürich', source: 'user' });
    await chat.setOptions({ memoryOff: true });
    await ask(chat, 'Where do I live?');
    expect(chat.options().memoryOff).toBe(true);
    expect(requests.at(-1)?.system).toBeUndefined();
    await chat.setOptions({ memoryOff: undefined });
    await ask(chat, 'Where do I live, really?');
    expect(requests.at(-1)?.system).toContain('- Lives in Zürich');
    // A deleted memory is gone from the next request.
    for (const e of await memory.list()) await memory.remove(e.id);
    await ask(chat, 'And now?');
    expect(requests.at(-1)?.system).toBeUndefined();
  });

  it('redacts personal data in memories and restores it in the answer', async () => {
    const redactor = createRedactor({ email: true, phone: false });
    const { chat, memory, requests, repos } = await setup(
      { redactor: () => redactor },
      'I will write to [EMAIL_1].',
    );
    await memory.add({ text: 'Work e-mail is ada@example.org', source: 'user' });
    await ask(chat, 'What is my work e-mail?');
    const system = requests.at(-1)?.system ?? '';
    expect(system).toContain('- Work e-mail is [EMAIL_1]');
    expect(system).not.toContain('ada@example.org');
    const answer = chat.getState().messages.at(-1);
    expect(answer?.ok && answer.value.content).toBe('I will write to ada@example.org.');
    // The placeholder is in the conversation's saved map, so later answers restore it too.
    const id = chat.getState().selectedId ?? '';
    const saved = await repos.conversations.get(id);
    expect(saved.redactions?.entries.map((e) => e.placeholder)).toEqual(['[EMAIL_1]']);
  });

  it('answers without memory, saying so, when memory cannot be read', async () => {
    const { chat, requests } = await setup({
      memory: () => Promise.reject(new Error('locked')),
    });
    await ask(chat, 'hello');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.system).toBeUndefined();
    expect(chat.getState().notice).toBe(MEMORY_UNREADABLE_NOTICE);
    const answer = chat.getState().messages.at(-1);
    expect(answer?.ok && answer.value).toMatchObject({
      status: 'complete',
      content: 'Echo: hello',
    });
  });
});
