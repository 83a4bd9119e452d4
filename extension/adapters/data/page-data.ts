import { createDataService } from '../../core/data/data-service';
import type { ChatController } from '../../core/conversations/chat-controller';
import {
  optionsOf,
  resolveTarget,
  type ProviderLookup,
} from '../../core/conversations/answer-parts';
import { applyRetention, deleteConversation } from '../../core/retention/retention';
import { createBudgetGate } from '../../core/usage/budget-gate';
import type { VaultService } from '../../core/vault/vault-service';
import type { Repos } from '../db/repos';
import type { NookDb } from '../db/schema';
import { createAtomicWriter, createDexieRowStore } from './atomic-writer';
import { createPageReadCaches, type PageReadCaches } from './read-caches';
import { wipeExtensionData, type WipePlatform } from './wipe';

/** Pages tell each other about a wipe, so none of them reopens (recreates) the database. */
const CHANNEL = 'nook-data';

export interface PageDataDeps {
  db: NookDb;
  repos: Repos;
  vault: VaultService;
  chat: ChatController;
  providers: ProviderLookup & { getState(): { providers: { ok: boolean; id: string }[] } };
  platform: { storage?: WipePlatform['storage']; indexedDB?: IDBFactory };
  /** The page's decrypted settings and usage, shared with the chat defaults (made if absent). */
  reads?: PageReadCaches;
}

/**
 * Data controls for one extension page: export/import, the composer's budget gate,
 * retention after unlock, delete one conversation, and "Delete all data".
 */
export function createPageDataControls(deps: PageDataDeps) {
  const { db, repos, vault, chat } = deps;
  // Read before every send: decrypted again only after the stored rows changed.
  const reads = deps.reads ?? createPageReadCaches(db, repos, vault);
  const settings = () => reads.settings.get();
  const data = createDataService({
    repos,
    writer: createAtomicWriter(createDexieRowStore(db), () => vault.getVault()),
  });
  const budget = createBudgetGate({
    usage: reads.usage,
    settings,
    async target() {
      const state = chat.getState();
      const selected = state.conversations.find((c) => c.id === state.selectedId);
      const opts = selected?.ok ? optionsOf(selected.value) : state.draft;
      const t = resolveTarget(opts, deps.providers, await settings(), '');
      if (!t.ok) return undefined;
      const label = deps.providers.usable().find((p) => p.id === t.providerId)?.label ?? '';
      return { providerId: t.providerId, label };
    },
  });
  // The composer calls chat.send; the budget decides first (an override lets one through).
  const send = chat.send.bind(chat);
  chat.send = async (...args: Parameters<typeof send>) => (await budget.admit()) && send(...args);

  const channel =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : undefined;
  // Node (unit tests) keeps the process alive for an open channel; pages do not care.
  (channel as { unref?: () => void } | undefined)?.unref?.();
  let wiped = false;
  const stopUsingDb = () => {
    wiped = true;
    vault.dispose();
    db.close();
  };
  // The delete itself reaches every connection as `versionchange` (the database closes for
  // good, see schema.ts), possibly before the broadcast: stop using it either way.
  db.on('versionchange', (ev: IDBVersionChangeEvent) => {
    if (!ev.newVersion) stopUsingDb();
  });
  channel?.addEventListener('message', (e: MessageEvent) => {
    if (e.data === 'wiping') stopUsingDb();
    if (e.data === 'wiped') globalThis.location?.reload();
    if (e.data === 'changed' && !wiped) void refreshViews();
  });

  /** Other views show imported or deleted records without a reload. */
  async function refreshViews(): Promise<void> {
    await Promise.all([chat.load(), deps.providers.load?.()]).catch(() => undefined);
  }

  /** Retention after every unlock (the background repeats it daily). */
  async function runRetention(): Promise<number> {
    const deleted = await applyRetention(repos, (await settings()).retentionDays, Date.now());
    if (deleted > 0) {
      await refreshViews();
      channel?.postMessage('changed');
    }
    return deleted;
  }
  vault.subscribe((s) => {
    if (s.status === 'unlocked' && !wiped) void runRetention().catch(() => undefined);
  });

  return {
    data: {
      ...data,
      /** Imports, then refreshes this page's and other pages' views. */
      async importFile(...args: Parameters<typeof data.importFile>) {
        const summary = await data.importFile(...args);
        await refreshViews();
        channel?.postMessage('changed');
        return summary;
      },
    },
    budget,
    runRetention,
    /** Deletes one conversation with its messages. */
    async deleteConversation(id: string): Promise<void> {
      await deleteConversation(repos, id);
      await refreshViews();
      channel?.postMessage('changed');
    },
    /** True once this page wiped (or saw another page wipe) everything. */
    isWiped: () => wiped,
    /**
     * Deletes every database and both storage areas. Afterwards the page must reload;
     * until then nothing may touch IndexedDB (it would be recreated).
     */
    async deleteAllData(): Promise<void> {
      channel?.postMessage('wiping');
      stopUsingDb();
      await wipeExtensionData({
        indexedDB: deps.platform.indexedDB ?? globalThis.indexedDB,
        ...(deps.platform.storage ? { storage: deps.platform.storage } : {}),
      });
      channel?.postMessage('wiped');
    },
  };
}

export type PageDataControls = ReturnType<typeof createPageDataControls>;
