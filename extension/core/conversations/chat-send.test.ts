import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import { createMemoryRepos } from '../../adapters/db/repos';
import type { ChatRequest, ProviderAdapter, ProviderConfig } from '../chat/provider';
import { ProviderError } from '../chat/provider-error';
import { createProviderRegistry } from '../chat/provider-registry';
import { rowsStamp } from '../records/row-stamp';
import type { Conversation, Message, PageAttachment } from '../models';
import type { RecordRepo } from '../records/record-repo-port';
import { createChatController } from './chat-controller';
import { SEND_FAILED } from './send-message';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = (await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })).vault;
});

/** A promise resolved or rejected from outside. */
function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Awaited later (a held write starts a task after the send): not an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** A repo whose next put waits for `gate` (and fails if it rejects). */
function gated<T>(repo: RecordRepo<T>) {
  let gate: Promise<void> | undefined;
  const wrapped: RecordRepo<T> = {
    ...repo,
    async put(id, value) {
      const g = gate;
      gate = undefined;
      if (g) await g;
      return repo.put(id, value);
    },
  };
  return { repo: wrapped, hold: (g: Promise<void>) => (gate = g) };
}

/**
 * An adapter that streams one delta, then waits for `release` (or an abort), and records
 * what it was asked with which key.
 */
function slowAdapter(cfg: ProviderConfig, log: { key?: string; req: ChatRequest }[]) {
  let release = deferred();
  const adapter: ProviderAdapter = {
    kind: cfg.kind,
    async *stream(req) {
      log.push({ key: cfg.apiKey, req });
      yield { type: 'text', delta: 'Hello' };
      await Promise.race([
        release.promise,
        new Promise<void>((_, reject) =>
          req.signal?.addEventListener('abort', () =>
            reject(new ProviderError('aborted', { provider: cfg.label })),
          ),
        ),
      ]);
      yield { type: 'done', finishReason: 'stop' };
    },
    listModels: () => Promise.resolve(['m1']),
    testConnection: () => Promise.resolve(),
  };
  return {
    adapter,
    release: () => {
      release.resolve();
      release = deferred();
    },
  };
}

async function setup() {
  const { repos, table } = createMemoryRepos(() => vault);
  const log: { key?: string; req: ChatRequest }[] = [];
  const adapters: ReturnType<typeof slowAdapter>[] = [];
  const registry = (listed?: { count: number }) =>
    createProviderRegistry({
      repo: listed
        ? { ...repos.providers, list: (q) => ((listed.count += 1), repos.providers.list(q)) }
        : repos.providers,
      createAdapter: (cfg) => {
        const a = slowAdapter(cfg, log);
        adapters.push(a);
        return a.adapter;
      },
      changeStamp: async () => rowsStamp([...table('secrets').rows.values()]),
    });
  const listed = { count: 0 };
  const providers = registry(listed);
  const saved = await providers.save({
    id: '',
    kind: 'openai',
    label: 'Test AI',
    apiKey: 'sk-unit-key-old-0001',
    defaultModel: 'm1',
  });
  if (!saved.ok) throw new Error('provider refused');
  const messages = gated<Message>(repos.messages);
  const conversations = gated<Conversation>(repos.conversations);
  const chat = createChatController({
    conversations: conversations.repo,
    messages: messages.repo,
    providers,
    usage: repos.usage,
  });
  await chat.load();
  const release = () => adapters.at(-1)?.release();
  return { chat, repos, messages, conversations, log, release, registry, listed, saved };
}

const roles = (chat: ReturnType<typeof createChatController>) =>
  chat.getState().messages.map((m) => (m.ok ? `${m.value.role}:${m.value.content}` : 'damaged'));

describe('send: the request goes out while the message is saved', () => {
  it('asks the provider before the message is stored, and saves the answer after it', async () => {
    const { chat, repos, messages, log, release } = await setup();
    const gate = deferred();
    messages.hold(gate.promise);
    const sending = chat.send('quick question');
    await vi.waitFor(() => expect(log).toHaveLength(1));
    expect(log[0]?.req.turns).toEqual([{ role: 'user', content: 'quick question' }]);
    expect(await repos.messages.list()).toEqual([]);
    release();
    gate.resolve();
    expect(await sending).toBe(true);
    await chat.whenIdle();
    expect(roles(chat)).toEqual(['user:quick question', 'assistant:Hello']);
    const stored = await repos.messages.list();
    expect(stored.map((m) => (m.ok ? m.value.role : 'damaged')).sort()).toEqual([
      'assistant',
      'user',
    ]);
    // The view carries the stored revisions, not the placeholder 0.
    expect(chat.getState().messages.every((m) => m.rev === 1)).toBe(true);
  });

  it('a failed save mid-stream stops and drops the answer; the text stays; nothing is stored', async () => {
    const { chat, repos, conversations, log, release } = await setup();
    const gate = deferred();
    conversations.hold(gate.promise);
    const sending = chat.send('keep this text');
    await vi.waitFor(() => expect(chat.stream.getState()?.text).toBe('Hello'));
    gate.reject(new Error('QuotaExceededError'));
    expect(await sending).toBe(false);
    await chat.whenIdle();
    expect(log[0]?.req.signal?.aborted).toBe(true);
    expect(chat.getState()).toMatchObject({
      error: SEND_FAILED,
      selectedId: undefined,
      messages: [],
      conversations: [],
      streamingId: undefined,
    });
    expect(chat.stream.getState()).toBeUndefined();
    expect(await repos.messages.list()).toEqual([]);
    expect(await repos.conversations.list()).toEqual([]);
    // Sending the kept text again works and stores it once.
    const again = chat.send('keep this text');
    await vi.waitFor(() => expect(log).toHaveLength(2));
    release();
    expect(await again).toBe(true);
    await chat.whenIdle();
    expect(roles(chat)).toEqual(['user:keep this text', 'assistant:Hello']);
    expect(await repos.messages.list()).toHaveLength(2);
  });

  it('a failed save in an open conversation keeps its earlier messages; stored revisions stay', async () => {
    const { chat, repos, messages, log, release } = await setup();
    const first = chat.send('first');
    await vi.waitFor(() => expect(log).toHaveLength(1));
    release();
    await first;
    await chat.whenIdle();
    const gate = deferred();
    messages.hold(gate.promise);
    const sending = chat.send('second');
    gate.reject(new Error('disk full'));
    expect(await sending).toBe(false);
    await chat.whenIdle();
    expect(roles(chat)).toEqual(['user:first', 'assistant:Hello']);
    expect(chat.getState().error).toBe(SEND_FAILED);
    expect(await repos.messages.list()).toHaveLength(2);
    // The message was not stored, but its conversation's update was: view and store agree.
    const stored = await repos.conversations.list();
    expect(chat.getState().conversations.map((c) => c.rev)).toEqual(stored.map((c) => c.rev));
  });

  it('a failed save of a page question keeps the page in the composer', async () => {
    const { chat, messages } = await setup();
    const page: PageAttachment = {
      source: 'selection',
      title: 'Doc',
      url: 'https://example.test/',
      text: 'quoted words',
      truncated: false,
      boundary: 'b0b0b0b0b0b0b0b0',
    };
    await chat.attach(page, 'Explain this');
    const gate = deferred();
    messages.hold(gate.promise);
    const sending = chat.send('Explain this');
    expect(chat.getState().attachment).toBeUndefined();
    gate.reject(new Error('disk full'));
    expect(await sending).toBe(false);
    await chat.whenIdle();
    expect(chat.getState()).toMatchObject({ attachment: page, messages: [], error: SEND_FAILED });
  });
});

describe('send: lock while the message is being stored', () => {
  for (const outcome of ['stored', 'refused'] as const) {
    it(`attack: nothing decrypted comes back into view after lock (${outcome})`, async () => {
      const { chat, messages, log } = await setup();
      const page: PageAttachment = {
        source: 'page',
        title: 'Private page',
        url: 'https://example.test/',
        text: 'private words',
        truncated: false,
        boundary: 'c1c1c1c1c1c1c1c1',
      };
      await chat.attach(page, 'Sum up');
      const gate = deferred();
      messages.hold(gate.promise);
      const sending = chat.send('Sum up');
      await vi.waitFor(() => expect(log).toHaveLength(1));
      chat.reset();
      if (outcome === 'stored') gate.resolve();
      else gate.reject(new Error('locked'));
      expect(await sending).toBe(outcome === 'stored');
      await chat.whenIdle();
      expect(chat.getState()).toMatchObject({
        conversations: [],
        messages: [],
        attachment: undefined,
        error: undefined,
        streamingId: undefined,
      });
      chat.setQuery('sum');
      expect(chat.getState().matches?.size ?? 0).toBe(0);
    });
  }
});

describe('send: providers changed elsewhere', () => {
  it('the next send uses a key changed in Options (another page); unchanged, none is re-read', async () => {
    const { chat, log, release, registry, listed, saved } = await setup();
    const ask = async (text: string) => {
      const s = chat.send(text);
      await vi.waitFor(() => expect(log.at(-1)?.req.turns.at(-1)?.content).toBe(text));
      release();
      await s;
      await chat.whenIdle();
    };
    await ask('one'); // the first after this page's own save reads them whole
    const before = listed.count;
    await ask('two');
    await ask('three');
    expect(listed.count).toBe(before);
    // Options is another page: its own registry over the same stored rows.
    const options = registry();
    await options.load();
    await options.save({ ...saved.provider, apiKey: 'sk-unit-key-new-0002' });
    await ask('four');
    expect(log.map((l) => l.key)).toEqual([
      'sk-unit-key-old-0001',
      'sk-unit-key-old-0001',
      'sk-unit-key-old-0001',
      'sk-unit-key-new-0002',
    ]);
    expect(listed.count).toBe(before + 1);
  });
});
