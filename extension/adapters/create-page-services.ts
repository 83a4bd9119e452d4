import type { HostAccess } from '../core/chat/host-access';
import { createPersonaStore } from '../core/chat/persona-store';
import { createProviderRegistry } from '../core/chat/provider-registry';
import { rowsStamp } from '../core/records/row-stamp';
import { createChatController } from '../core/conversations/chat-controller';
import { createPromptStore } from '../core/background/prompt-store';
import { createLedgerFetch } from '../core/ledger/ledger-fetch';
import { createLedgerSockets, type LedgerWebSocket } from '../core/ledger/ledger-socket';
import { createLedgerStore } from '../core/ledger/ledger-store';
import { createMemoryStore } from '../core/memory/memory-store';
import { createSaveMemoryTool } from '../core/memory/save-memory-tool';
import { memoryContext } from '../core/memory/select-memories';
import { createRedactor } from '../core/redaction';
import { loadSettings } from '../core/settings/settings';
import { createVaultService } from '../core/vault/vault-service';
import { reloadOnRemoteChange } from '../core/sync-bridge/reload-views';
import { createPageDataControls } from './data/page-data';
import { createPageReadCaches } from './data/read-caches';
import { metaWithoutCreating, type WipePlatform } from './data/wipe';
import { syncUserPromptMenu, type ContextMenusApi } from './browser/context-menu-adapter';
import { createPendingContextSource } from './browser/pending-context';
import { createDexieMetaStore } from './db/meta-store';
import { createDexieRepos } from './db/repos';
import { openNookDb } from './db/schema';
import { createSandboxServices } from './sandbox';
import { createSyncWiring } from './sync/sync-wiring';
import { createProviderAdapter } from './providers';
import type { KvArea } from './vault/kv-area';
import { createSessionKeyStore } from './vault/session-key-store';
import {
  hostPermissionPattern,
  patternsSupportPorts,
  type BrowserIdentity,
} from './browser/host-pattern';

/** The slice of the WebExtension API the providers form uses (all optional: tests, Firefox). */
export interface PagePlatform extends BrowserIdentity {
  permissions?: { request(p: { origins: string[] }): Promise<boolean> };
  /** The right-click menu: pages keep "My prompts" in step with Options → Prompts. */
  contextMenus?: ContextMenusApi;
  declarativeNetRequest?: {
    getDynamicRules(): Promise<{ id: number; condition: { urlFilter?: string } }[]>;
    updateDynamicRules(u: { addRules?: DnrRule[]; removeRuleIds?: number[] }): Promise<void>;
  };
  /** storage.local + storage.session, cleared by "Delete all data". */
  storage?: WipePlatform['storage'];
  /** Opens the options page (the first-run screen's "Link this browser"). */
  runtime?: { getBrowserInfo?: unknown; openOptionsPage?: () => Promise<void> };
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
      // Called before any await so the click's user gesture still counts. Firefox's
      // patterns cannot name a port (see host-pattern.ts).
      const pattern = hostPermissionPattern(origin, patternsSupportPorts(platform));
      return platform.permissions.request({ origins: [pattern] });
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
    async removeOriginRule(origin) {
      const dnr = platform.declarativeNetRequest;
      if (!dnr) return;
      const urlFilter = `|${origin}/`;
      const ids = (await dnr.getDynamicRules())
        .filter((r) => r.condition.urlFilter === urlFilter)
        .map((r) => r.id);
      if (ids.length > 0) await dnr.updateDynamicRules({ removeRuleIds: ids });
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
  // Reading "is there a vault?" must not create the database (first run, after a wipe).
  const meta = metaWithoutCreating(createDexieMetaStore(db.meta), db, globalThis.indexedDB);
  const session = createSessionKeyStore(sessionArea);
  const repos = createDexieRepos(db, () => vault.getVault());
  const vault = createVaultService({
    meta,
    session,
    loadAutoLockMinutes: async () => (await loadSettings(repos.settings)).settings.autoLockMinutes,
  });
  // Settings and usage read on every send, decrypted again only after the rows changed.
  const reads = createPageReadCaches(db, repos, vault);
  // Every outbound request (providers, model lists, relay, sandbox) goes through this one
  // fetch, which records it in the encrypted data-flow ledger (Options → Ledger).
  const ledger = createLedgerStore({ repo: repos.ledger });
  const ledgerFetch = createLedgerFetch({
    base: globalThis.fetch.bind(globalThis),
    sink: ledger,
    origin: globalThis.location?.pathname.includes('options') ? 'options' : 'panel',
  });
  // WebSockets too (sandbox runs, sync notifications): one entry per socket, every 10 min
  // while open, and on pagehide (a closing page runs no close event).
  const ledgerSockets = createLedgerSockets({
    base: (url) => new globalThis.WebSocket(url) as unknown as LedgerWebSocket,
    sink: ledger,
    origin: globalThis.location?.pathname.includes('options') ? 'options' : 'panel',
  });
  globalThis.addEventListener?.('pagehide', () => ledgerSockets.flush());
  const providers = createProviderRegistry({
    repo: repos.providers,
    // The SDKs' own fetch lookups can miss in extension pages; hand them ours explicitly.
    createAdapter: (cfg) => createProviderAdapter(cfg, { fetch: ledgerFetch.fetch }),
    // Read without decrypting before each answer: keys are re-read only after a change.
    changeStamp: async () => rowsStamp(await db.secrets.toArray()),
  });
  const personas = createPersonaStore({ repo: repos.personas });
  /** Long-term memory (encrypted `memory` collection); save_memory writes here. */
  const memory = createMemoryStore({ repo: repos.memory });
  const saveMemory = createSaveMemoryTool(memory);
  // The user's context-menu prompts; every change re-syncs the "My prompts" submenu.
  let menuIds: string[] = [];
  const prompts = createPromptStore({
    repo: repos.prompts,
    onChange: (list) => {
      const menus = platform.contextMenus;
      if (!menus) return;
      void syncUserPromptMenu(menus, list, menuIds)
        .then((ids) => {
          menuIds = ids;
        })
        .catch(() => undefined);
    },
  });
  // E-mail and phone redaction are opt-in (Options → Ledger & privacy); read per message.
  let redactorOptions = { email: false, phone: false };
  let redactor = createRedactor(redactorOptions);
  const chat = createChatController({
    conversations: repos.conversations,
    messages: repos.messages,
    providers,
    usage: repos.usage,
    defaults: async () => {
      const settings = await reads.settings.get();
      const next = { email: settings.redactEmail === true, phone: settings.redactPhone === true };
      if (next.email !== redactorOptions.email || next.phone !== redactorOptions.phone) {
        redactorOptions = next;
        redactor = createRedactor(next);
      }
      return settings;
    },
    redactor: () => redactor,
    ledger: ledgerFetch,
    // The tools the model may call; the gate in core/tools decides when a click is needed.
    tools: (c) => [...(c?.memoryOff ? [] : [saveMemory]), ...sandbox.tools()],
    // Remembered facts relevant to the user's message join the system prompt (none if off).
    memory: (c, query) => memoryContext(memory, c, query),
  });
  // Sync runs in whichever unlocked page holds the leader lock (see extension/README.md).
  const sync = createSyncWiring({
    db,
    meta,
    vault,
    repos,
    sessionArea,
    fetch: ledgerFetch.fetch,
    WebSocket: ledgerSockets.WebSocket,
  });
  // The sandbox lives on the connected relay; asked per call, so Options → Sync applies at once.
  const sandbox = createSandboxServices({
    session: () => sync.service.relaySession(),
    changes: (l) => sync.service.subscribe(l),
    fetch: ledgerFetch.fetch,
    openSocket: (url, run) => ledgerSockets.open(url, { purpose: 'sandbox', ...run }),
  });
  reloadOnRemoteChange((l) => sync.service.onRemoteChange(l), chat);
  // Options → Data / Usage, retention after unlock, and the composer's budget gate.
  const data = createPageDataControls({ db, repos, vault, chat, providers, platform, reads });
  return {
    vault,
    repos,
    chat: Object.assign(chat, { budget: data.budget }),
    providers,
    personas,
    memory,
    /** Options → Prompts, and the panel's lookup of a clicked user prompt. */
    prompts,
    /** The context-menu click waiting in storage.session for the panel. */
    pending: createPendingContextSource(sessionArea),
    /** The data-flow ledger (Options → Ledger) and the fetch and sockets that feed it. */
    ledger,
    ledgerFetch,
    ledgerSockets,
    /** The composer's redaction preview (options follow Options → privacy settings). */
    redactor: () => redactor,
    hostAccess: createHostAccess(platform),
    /** Opens Options (where "Link this browser" lives); undefined outside the extension. */
    openOptions: platform.runtime?.openOptionsPage
      ? () => void platform.runtime?.openOptionsPage?.().catch(() => undefined)
      : undefined,
    /** Options → Sync, and `sync.relaySession()` for other relay features (the sandbox). */
    sync: sync.service,
    /** Code sandbox on the relay: client, Files panel and Options stores, run_code tool. */
    sandbox,
    /** Export/import, retention, delete one conversation, "Delete all data". */
    data,
  };
}

export type PageServices = ReturnType<typeof createPageServices>;
