import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import type { StoredProvider } from '../../core/chat/provider-registry';
import { recordUsage } from '../../core/chat/usage-ledger';
import type { ChatController } from '../../core/conversations/chat-controller';
import { DEFAULT_SETTINGS, type UsageTotal } from '../../core/models';
import { saveSettings } from '../../core/settings/settings';
import { testVault } from '../../core/tools/test-kit';
import type { VaultService, VaultState } from '../../core/vault/vault-service';
import { createDexieRepos } from '../db/repos';
import { openNookDb } from '../db/schema';
import { createPageDataControls, type PageDataDeps } from './page-data';

const provider = { id: 'p1', label: 'OpenAI', defaultModel: 'gpt-4o' } as StoredProvider;

/** The side panel's data controls and another page (Options) over the same database. */
async function panelAndOptions() {
  const indexedDB = new IDBFactory();
  const vault = await testVault();
  let open = true;
  const listeners = new Set<(s: VaultState) => void>();
  const service = {
    getVault: () => {
      if (!open) throw new Error('locked');
      return vault;
    },
    subscribe: (l: (s: VaultState) => void) => (listeners.add(l), () => listeners.delete(l)),
    dispose: vi.fn(),
  };
  const lock = () => {
    open = false;
    for (const l of listeners) l({ status: 'locked' } as VaultState);
  };
  const db = openNookDb({ indexedDB, IDBKeyRange });
  const repos = createDexieRepos(db, () => service.getVault());
  let decrypted = 0;
  const usage = {
    ...repos.usage,
    async list(...args: Parameters<typeof repos.usage.list>) {
      const out = await repos.usage.list(...args);
      decrypted += out.filter((r) => args[1]?.get(r.id) !== r).length;
      return out;
    },
  };
  const sent = vi.fn(async () => undefined);
  const chat = {
    send: sent,
    load: async () => undefined,
    getState: () => ({ conversations: [], selectedId: undefined, draft: {} }),
  };
  const providers = { usable: () => [provider], getState: () => ({ providers: [] }) };
  const controls = createPageDataControls({
    db,
    repos: { ...repos, usage },
    vault: service as unknown as VaultService,
    chat: chat as unknown as ChatController,
    providers: providers as unknown as PageDataDeps['providers'],
    platform: { indexedDB },
  });
  const options = createDexieRepos(openNookDb({ indexedDB, IDBKeyRange }), () => vault);
  const answer = (outputTokens: number) =>
    recordUsage(options.usage, {
      providerId: 'p1',
      model: 'gpt-4o',
      usage: { inputTokens: 0, outputTokens },
      at: Date.now(),
    });
  return {
    controls,
    chat: chat as unknown as ChatController,
    sent,
    options,
    answer,
    lock,
    unlock: () => (open = true),
    decrypted: () => decrypted,
  };
}

describe('the budget check before each send, over IndexedDB', () => {
  it('sees usage and budgets written in another page, decrypting only what changed', async () => {
    const p = await panelAndOptions();
    await saveSettings(p.options.settings, { ...DEFAULT_SETTINGS, budgets: { p1: 1 } });
    await p.answer(50_000); // $0.50 of $1
    await p.chat.send('hi');
    expect(p.sent).toHaveBeenCalledTimes(1);
    expect(p.controls.budget.getState().status.level).toBe('ok');
    expect(await p.controls.budget.admit()).toBe(true);
    expect(p.decrypted()).toBe(1);
    // Another page records answers: the next send is held at 100 %.
    await p.answer(60_000);
    await p.chat.send('again');
    expect(p.sent).toHaveBeenCalledTimes(1);
    expect(p.controls.budget.getState()).toMatchObject({ held: true });
    expect(p.decrypted()).toBe(2);
    // Options raises the budget: honoured by the next send, no usage decrypted again.
    await saveSettings(p.options.settings, { ...DEFAULT_SETTINGS, budgets: { p1: 10 } });
    await p.chat.send('more');
    expect(p.sent).toHaveBeenCalledTimes(2);
    expect(p.controls.budget.getState().status).toMatchObject({ level: 'ok', budget: 10 });
    expect(p.decrypted()).toBe(2);
    // Removing the budget in Options: nothing is held any more.
    await saveSettings(p.options.settings, { ...DEFAULT_SETTINGS });
    await p.answer(2_000_000);
    expect(await p.controls.budget.admit()).toBe(true);
    expect(p.controls.budget.getState().status.level).toBe('none');
  });

  it('forgets what it decrypted on lock', async () => {
    const p = await panelAndOptions();
    await saveSettings(p.options.settings, { ...DEFAULT_SETTINGS, budgets: { p1: 1 } });
    const total: UsageTotal = await p.answer(200_000);
    expect(total.requests).toBe(1);
    expect(await p.controls.budget.admit()).toBe(false);
    p.lock();
    // Locked: nothing held answers; the check lets the send through to the vault's own refusal.
    expect(await p.controls.budget.admit()).toBe(true);
    expect(p.controls.budget.getState().held).toBe(false);
    expect(p.decrypted()).toBe(1);
    // Unlocked again: nothing was kept, so the total is decrypted afresh.
    p.unlock();
    expect(await p.controls.budget.admit()).toBe(false);
    expect(p.decrypted()).toBe(2);
  });
});
