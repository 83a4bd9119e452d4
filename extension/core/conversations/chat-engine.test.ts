import { beforeAll, describe, expect, it } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import { createMemoryRepos } from '../../adapters/db/repos';
import type { ChatRequest, ProviderAdapter, StreamEvent } from '../chat/provider';
import { ProviderError } from '../chat/provider-error';
import { createProviderRegistry } from '../chat/provider-registry';
import { usageRecordId } from '../chat/usage-ledger';
import { NO_MODEL_NOTICE } from './answer-parts';
import { createChatController } from './chat-controller';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = (await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })).vault;
});

type Script = (req: ChatRequest) => AsyncIterable<StreamEvent>;

/** A scripted adapter: each stream() call takes the next script (then echoes). */
function fakeAdapter(scripts: Script[]) {
  const requests: ChatRequest[] = [];
  const adapter: ProviderAdapter = {
    kind: 'openai',
    stream(req) {
      requests.push(req);
      const next = scripts.shift();
      if (next) return next(req);
      const last = req.turns.at(-1)?.content ?? '';
      return (async function* () {
        yield { type: 'text', delta: `Echo: ${last}` } as const;
        yield { type: 'done', finishReason: 'stop' } as const;
      })();
    },
    listModels: () => Promise.resolve(['m1']),
    testConnection: () => Promise.resolve(),
  };
  return { adapter, requests };
}

async function setup(scripts: Script[] = [], model = 'm1') {
  const { repos } = createMemoryRepos(() => vault);
  const fake = fakeAdapter(scripts);
  const providers = createProviderRegistry({
    repo: repos.providers,
    createAdapter: () => fake.adapter,
  });
  await providers.save({
    id: '',
    kind: 'openai',
    label: 'Test AI',
    apiKey: 'sk-unit-key-123456',
    defaultModel: model,
  });
  let t = Date.UTC(2026, 0, 2);
  const chat = createChatController({
    conversations: repos.conversations,
    messages: repos.messages,
    providers,
    usage: repos.usage,
    now: () => (t += 10),
  });
  await chat.load();
  return { chat, repos, providers, fake };
}

const values = (chat: ReturnType<typeof createChatController>) =>
  chat.getState().messages.flatMap((m) => (m.ok ? [m.value] : []));

describe('chat engine (streaming answers)', () => {
  it('streams an answer, saves it with usage, and totals usage per provider/model/day', async () => {
    const { chat, repos, providers, fake } = await setup([
      async function* () {
        yield { type: 'text', delta: 'Hel' };
        yield { type: 'text', delta: 'lo' };
        yield { type: 'usage', usage: { inputTokens: 5, outputTokens: 2 } };
        yield { type: 'done', finishReason: 'stop' };
      },
    ]);
    const seen: string[] = [];
    chat.stream.subscribe((s) => s && seen.push(s.text));
    await chat.setOptions({ systemPrompt: 'Be brief.' });
    expect(await chat.send('Hi there')).toBe(true);
    await chat.whenIdle();
    expect(seen).toEqual(['', 'Hel', 'Hello']);
    expect(values(chat)).toMatchObject([
      { role: 'user', content: 'Hi there' },
      {
        role: 'assistant',
        content: 'Hello',
        status: 'complete',
        usage: { inputTokens: 5, outputTokens: 2 },
        model: 'm1',
      },
    ]);
    expect(fake.requests[0]).toMatchObject({
      model: 'm1',
      system: 'Be brief.',
      turns: [{ role: 'user', content: 'Hi there' }],
    });
    const id = providers.usable()[0]?.id ?? '';
    expect(await repos.usage.get(usageRecordId(id, 'm1', '2026-01-02'))).toMatchObject({
      inputTokens: 5,
      outputTokens: 2,
      requests: 1,
    });
    expect(chat.getState().streamingId).toBeUndefined();
  });

  it('Stop keeps the partial answer as interrupted; Retry replaces it', async () => {
    const { chat } = await setup([
      async function* (req) {
        yield { type: 'text', delta: 'partial ' };
        await new Promise<void>((resolve) =>
          req.signal?.addEventListener('abort', () => resolve()),
        );
        throw new ProviderError('aborted', { provider: 'Test AI' });
      },
    ]);
    await chat.send('long please');
    await new Promise((r) => setTimeout(r, 0));
    chat.stop();
    await chat.whenIdle();
    expect(values(chat).at(-1)).toMatchObject({
      content: 'partial ',
      status: 'interrupted',
      error: 'Stopped: the partial answer is kept.',
    });
    await chat.regenerate();
    expect(values(chat)).toHaveLength(2);
    expect(values(chat).at(-1)).toMatchObject({ content: 'Echo: long please', status: 'complete' });
  });

  it('a 401 before any text is an error in plain words; the user message stays', async () => {
    const { chat } = await setup([
      // Fails before any text: the unreachable yield only makes this an async generator.
      async function* () {
        await Promise.resolve();
        throw new ProviderError('auth', { provider: 'Test AI', status: 401 });
        yield { type: 'done', finishReason: 'stop' } as const;
      },
    ]);
    await chat.send('my question');
    await chat.whenIdle();
    expect(values(chat)).toMatchObject([
      { role: 'user', content: 'my question' },
      {
        role: 'assistant',
        content: '',
        status: 'error',
        error: 'Test AI rejected the key (401): check it in Options → Providers.',
      },
    ]);
  });

  it('edit-and-resend replaces the message and drops what followed; turns omit failed empties', async () => {
    const { chat, repos, fake } = await setup();
    await chat.send('first');
    await chat.whenIdle();
    await chat.send('second');
    await chat.whenIdle();
    const firstId = values(chat)[0]?.id ?? '';
    expect(await chat.editAndResend(firstId, 'first, edited')).toBe(true);
    await chat.whenIdle();
    expect(values(chat).map((m) => m.content)).toEqual(['first, edited', 'Echo: first, edited']);
    expect(await repos.messages.list()).toHaveLength(2);
    expect(fake.requests.at(-1)?.turns).toEqual([{ role: 'user', content: 'first, edited' }]);
  });

  it('says what is missing when no model is chosen anywhere', async () => {
    const { chat, fake } = await setup([], '');
    await chat.send('hello');
    await chat.whenIdle();
    expect(chat.getState().notice).toBe(NO_MODEL_NOTICE);
    expect(fake.requests).toHaveLength(0);
    expect(values(chat)).toHaveLength(1);
  });

  it('attack: locking mid-answer aborts it and shows or saves nothing afterwards', async () => {
    const { chat, repos } = await setup([
      async function* (req) {
        yield { type: 'text', delta: 'secret partial' };
        await new Promise<void>((resolve) =>
          req.signal?.addEventListener('abort', () => resolve()),
        );
        throw new ProviderError('aborted', { provider: 'Test AI' });
      },
    ]);
    await chat.send('question');
    await new Promise((r) => setTimeout(r, 0));
    chat.reset();
    await chat.whenIdle();
    expect(chat.getState()).toMatchObject({
      messages: [],
      streamingId: undefined,
      error: undefined,
    });
    expect(chat.stream.getState()).toBeUndefined();
    const saved = await repos.messages.list();
    expect(saved.map((m) => (m.ok ? m.value.role : 'damaged'))).toEqual(['user']);
  });
});
