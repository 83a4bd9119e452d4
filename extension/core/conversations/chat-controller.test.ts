import { beforeAll, describe, expect, it } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import { createMemoryRepos } from '../../adapters/db/repos';
import { createChatController, NO_PROVIDER_NOTICE } from './chat-controller';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = (await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })).vault;
});

function setup() {
  const { repos, table } = createMemoryRepos(() => vault);
  let t = 1000;
  let n = 0;
  const deps = {
    conversations: repos.conversations,
    messages: repos.messages,
    now: () => (t += 10),
    newId: () => `id${++n}`,
  };
  return { repos, table, deps, chat: createChatController(deps) };
}

describe('chat controller (provider-less shell)', () => {
  it('saves the first message in a new conversation titled from its first words, with a notice', async () => {
    const { chat, repos } = setup();
    await chat.load();
    expect(await chat.send('  Plan the garden layout for next spring please  ')).toBe(true);
    const s = chat.getState();
    expect(s.conversations).toHaveLength(1);
    expect(s.conversations[0]).toMatchObject({
      ok: true,
      value: { title: 'Plan the garden layout for next…' },
    });
    expect(s.messages).toMatchObject([
      {
        ok: true,
        value: { role: 'user', content: 'Plan the garden layout for next spring please' },
      },
    ]);
    expect(s.notice).toBe(NO_PROVIDER_NOTICE);
    expect(await repos.messages.list()).toHaveLength(1);

    await chat.send('second message');
    expect(chat.getState().conversations).toHaveLength(1);
    expect(chat.getState().messages).toHaveLength(2);
    expect(await chat.send('   ')).toBe(false);
  });

  it('finds conversations by words in titles and messages after a reload (fresh index)', async () => {
    const { chat, deps } = setup();
    await chat.send('Recipe for sourdough');
    await chat.send('it needs a STARTER culture');
    await chat.select(undefined);
    await chat.send('Trip to Lisbon');

    const reloaded = createChatController(deps);
    await reloaded.load();
    reloaded.setQuery('starter');
    const hits = reloaded.getState().matches;
    expect(hits?.size).toBe(1);
    const hit = reloaded.getState().conversations.find((c) => hits?.has(c.id));
    expect(hit?.ok && hit.value.title).toBe('Recipe for sourdough');
    reloaded.setQuery('lisbon trip');
    expect(reloaded.getState().matches?.size).toBe(1);
    reloaded.setQuery('nothing like this');
    expect(reloaded.getState().matches?.size).toBe(0);
    reloaded.setQuery('');
    expect(reloaded.getState().matches).toBeUndefined();
  });

  it('renames and deletes (messages too) and keeps the index in step', async () => {
    const { chat, repos } = setup();
    await chat.send('old title words');
    const id = chat.getState().selectedId ?? '';
    await chat.rename(id, '  Better title ');
    expect(await repos.conversations.get(id)).toMatchObject({ title: 'Better title' });
    chat.setQuery('better');
    expect(chat.getState().matches?.has(id)).toBe(true);
    await chat.remove(id);
    expect(chat.getState().conversations).toEqual([]);
    expect(chat.getState().selectedId).toBeUndefined();
    expect(await repos.messages.list()).toEqual([]);
    expect(chat.getState().matches?.size).toBe(0);
  });

  it('attack: a tampered conversation shows as one damaged item; the others load', async () => {
    const { chat, table, deps } = setup();
    await chat.send('first conversation');
    await chat.select(undefined);
    await chat.send('second conversation');
    const rows = table('conversations').rows;
    const victim = [...rows.values()][0];
    if (!victim) throw new Error('no rows');
    victim.env[20] = (victim.env[20] ?? 0) ^ 0xff;

    const reloaded = createChatController(deps);
    await reloaded.load();
    const list = reloaded.getState().conversations;
    expect(list.filter((c) => c.ok)).toHaveLength(1);
    expect(list.filter((c) => !c.ok)).toMatchObject([
      { id: victim.id, error: { code: 'decrypt-failed' } },
    ]);
    expect(reloaded.getState().error).toBeUndefined();
  });

  it('forgets decrypted data on reset (lock)', async () => {
    const { chat } = setup();
    await chat.send('private words');
    chat.reset();
    chat.setQuery('private');
    expect(chat.getState()).toMatchObject({
      conversations: [],
      messages: [],
      selectedId: undefined,
    });
    expect(chat.getState().matches?.size).toBe(0);
  });

  it('opens a conversation from what the unlock load decrypted, then re-reads the store; lock forgets it', async () => {
    const { chat, deps } = setup();
    await chat.send('Recipe for sourdough');
    await chat.send('it needs a starter');
    const id = chat.getState().selectedId!;

    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slowDeps = {
      ...deps,
      messages: {
        ...deps.messages,
        list: async (q?: Parameters<typeof deps.messages.list>[0]) => {
          if (q?.kind === 'equals') await gate;
          return deps.messages.list(q);
        },
      },
    };
    const reloaded = createChatController(slowDeps);
    await reloaded.load();
    const opening = reloaded.select(id);
    // Shown before the store's read returns.
    expect(reloaded.getState().messages.map((m) => m.ok && m.value.content)).toEqual([
      'Recipe for sourdough',
      'it needs a starter',
    ]);
    release();
    await opening;
    expect(reloaded.getState().messages).toHaveLength(2);

    reloaded.reset();
    let released = false;
    const gate2 = new Promise<void>((r) => setTimeout(() => ((released = true), r()), 20));
    slowDeps.messages.list = async (q) => {
      if (q?.kind === 'equals') await gate2;
      return deps.messages.list(q);
    };
    const again = reloaded.select(id);
    expect(released).toBe(false);
    expect(reloaded.getState().messages).toEqual([]);
    await again;
    expect(reloaded.getState().messages).toHaveLength(2);
  });
});
