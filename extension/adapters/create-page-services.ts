import type { HostAccess } from '../core/chat/host-access';
import { createPersonaStore } from '../core/chat/persona-store';
import { createProviderRegistry } from '../core/chat/provider-registry';
import { createChatController } from '../core/conversations/chat-controller';
import { loadSettings } from '../core/settings/settings';
import { createVaultService } from '../core/vault/vault-service';
import { createDexieMetaStore } from './db/meta-store';
import { createDexieRepos } from './db/repos';
import { openNookDb } from './db/schema';
import { createProviderAdapter } from './providers';
import type { KvArea } from './vault/kv-area';
import { createSessionKeyStore } from './vault/session-key-store';

/** The slice of the WebExtension API the providers form uses (all optional: tests, Firefox). */
export interface PagePlatform {
  permissions?: { request(p: { origins: string[] }): Promise<boolean> };
  declarativeNetRequest?: {
    getDynamicRules(): Promise<{ id: number; condition: { urlFilter?: string } }[]>;
    updateDynamicRules(u: { addRules?: DnrRule[]; removeRuleIds?: number[] }): Promise<void>;
  };
}

/** A declarativeNetRequest rule, as much as Nook writes. */
interface DnrRule {
  id: number;
  priority: number;
  action: {
    type: 'modifyHeaders';
    requestHeaders: { header: string; operation: 'remove' }[];
  };
  condition: { urlFilter: string; resourceTypes: 'xmlhttprequest'[] };
}

/**
 * Host permissions and the Origin rule over the browser API. The rule is dynamic (it
 * survives restarts) and matches only URLs starting with that provider's origin.
 */
export function createHostAccess(platform: PagePlatform): HostAccess {
  return {
    request(origin) {
      if (!platform.permissions) return Promise.resolve(false);
      // Called before any await so the click's user gesture still counts.
      return platform.permissions.request({ origins: [`${origin}/*`] });
    },
    async allowWithoutOrigin(origin) {
      const dnr = platform.declarativeNetRequest;
      if (!dnr) return;
      const urlFilter = `|${origin}/`;
      const rules = await dnr.getDynamicRules();
      if (rules.some((r) => r.condition.urlFilter === urlFilter)) return;
      const id = rules.reduce((max, r) => Math.max(max, r.id), 0) + 1;
      await dnr.updateDynamicRules({
        addRules: [
          {
            id,
            priority: 1,
            action: {
              type: 'modifyHeaders',
              requestHeaders: [{ header: 'origin', operation: 'remove' }],
            },
            condition: { urlFilter, resourceTypes: ['xmlhttprequest'] },
          },
        ],
      });
    },
  };
}

/**
 * Builds what one extension page (side panel or options) needs: the vault state
 * machine over IndexedDB + storage.session, the repositories, the providers and
 * personas, and the chat engine. Pass `browser.storage.session`; nothing here touches
 * storage.local.
 */
export function createPageServices(sessionArea: KvArea, platform: PagePlatform = {}) {
  const db = openNookDb();
  const meta = createDexieMetaStore(db.meta);
  const session = createSessionKeyStore(sessionArea);
  const repos = createDexieRepos(db, () => vault.getVault());
  const vault = createVaultService({
    meta,
    session,
    loadAutoLockMinutes: async () => (await loadSettings(repos.settings)).settings.autoLockMinutes,
  });
  const providers = createProviderRegistry({
    repo: repos.providers,
    // The SDKs' own fetch lookups can miss in extension pages; hand them the global one.
    createAdapter: (cfg) =>
      createProviderAdapter(cfg, { fetch: globalThis.fetch.bind(globalThis) }),
  });
  const personas = createPersonaStore({ repo: repos.personas });
  const chat = createChatController({
    conversations: repos.conversations,
    messages: repos.messages,
    providers,
    usage: repos.usage,
    defaults: async () => (await loadSettings(repos.settings)).settings,
  });
  return { vault, repos, chat, providers, personas, hostAccess: createHostAccess(platform) };
}

export type PageServices = ReturnType<typeof createPageServices>;
