/**
 * The context menu and page reading over the WebExtension APIs (contextMenus, scripting,
 * storage.session). The background builds it; extension pages use `syncUserPromptMenu`.
 */
import {
  PENDING_KEY,
  USER_PROMPT_PREFIX,
  USER_PROMPTS_PARENT,
  userPromptMenu,
  type MenuClick,
  type MenuItem,
  type MenuTab,
  type PendingContext,
} from '../../core/background/context-menu';
import type { BackgroundAdapters } from '../../core/background/start-background';
import { extractPageContent } from '../../core/page/extract';
import type { ExtractOptions, PageExtract } from '../../core/page/types';
import type { SessionKeyStore } from '../../core/vault/ports';
import type { KvArea } from '../vault/kv-area';

/** The slice of `browser.contextMenus` Nook uses. */
export interface ContextMenusApi {
  create(props: MenuItem): unknown;
  update(id: string, props: Omit<MenuItem, 'id'>): Promise<void>;
  remove(id: string): Promise<void>;
  onClicked?: { addListener(l: (info: MenuClick, tab?: MenuTab) => void): void };
}

/** The slice of `browser.scripting` + `browser.extension` used to read a page. */
export interface ScriptingApi {
  executeScript(i: {
    target: { tabId: number; frameIds?: number[] };
    func: (o: ExtractOptions) => PageExtract;
    args: [ExtractOptions];
  }): Promise<{ result?: unknown }[]>;
}

async function upsert(menus: ContextMenusApi, item: MenuItem): Promise<void> {
  const { id, ...props } = item;
  try {
    await menus.update(id, props);
  } catch {
    // Not there yet (fresh install, or removed): create it. A create racing another
    // create of the same id reports a duplicate, which is harmless.
    await new Promise<void>((resolve) => {
      menus.create(item);
      resolve();
    });
  }
}

/** Builds the background's context-menu port. */
export function createContextMenuAdapter(api: {
  contextMenus: ContextMenusApi;
  scripting: ScriptingApi;
  extension?: { isAllowedFileSchemeAccess?(): Promise<boolean> };
  storage: { session: KvArea };
}): NonNullable<BackgroundAdapters['contextMenu']> {
  return {
    async install(items) {
      for (const item of items) await upsert(api.contextMenus, item);
    },
    onClicked(listener) {
      api.contextMenus.onClicked?.addListener((info, tab) => listener(info, tab));
    },
    async extract(tabId, frameId, options) {
      const [first] = await api.scripting.executeScript({
        target: { tabId, frameIds: [frameId] },
        func: extractPageContent,
        args: [options],
      });
      const r = first?.result as PageExtract | undefined;
      if (!r || typeof r.text !== 'string') throw new Error('no result');
      return r;
    },
    fileAccess: async () => (await api.extension?.isAllowedFileSchemeAccess?.()) ?? false,
    putPending: (p: PendingContext) => api.storage.session.set({ [PENDING_KEY]: p }),
  };
}

/** The message an e2e build's test replays a context-menu click with (see below). */
export const E2E_CONTEXT_CLICK = 'nook-e2e:context-click';

/** The slice of `browser.runtime` + `browser.tabs` the e2e click hook uses. */
export interface E2eHookApi {
  runtime: {
    id: string;
    getURL(path: string): string;
    onMessage: {
      addListener(
        l: (msg: unknown, sender: { id?: string; url?: string }) => Promise<unknown> | undefined,
      ): void;
    };
  };
  tabs: { get(tabId: number): Promise<MenuTab> };
}

function e2eClick(msg: unknown): { click: MenuClick; tabId: number } | undefined {
  const m = msg as { type?: unknown; info?: Partial<MenuClick>; tabId?: unknown } | null;
  if (m?.type !== E2E_CONTEXT_CLICK || !Number.isInteger(m.tabId) || !m.info) return undefined;
  const { menuItemId, selectionText, frameId, pageUrl, frameUrl } = m.info;
  if (typeof menuItemId !== 'string') return undefined;
  const click: MenuClick = { menuItemId };
  if (typeof selectionText === 'string') click.selectionText = selectionText;
  if (Number.isInteger(frameId)) click.frameId = frameId;
  if (typeof pageUrl === 'string') click.pageUrl = pageUrl;
  if (typeof frameUrl === 'string') click.frameUrl = frameUrl;
  return { click, tabId: m.tabId as number };
}

/**
 * E2E BUILDS ONLY (`NOOK_E2E=1`; the background calls this behind a build-time constant,
 * so store builds do not contain it): Firefox gives tests no way to click the context menu,
 * so one of Nook's own extension pages may send `{ type: E2E_CONTEXT_CLICK, info, tabId }`
 * and `port.onClicked`'s listener — the one the real `contextMenus.onClicked` calls — runs
 * with that tab. Messages from anywhere else (content scripts, other extensions) are ignored.
 * A click reveals the tab's URL to the real listener (activeTab); here `info.pageUrl` does.
 */
export function withE2eContextClicks(
  port: NonNullable<BackgroundAdapters['contextMenu']>,
  api: E2eHookApi,
): NonNullable<BackgroundAdapters['contextMenu']> {
  const ownPages = api.runtime.getURL('');
  return {
    ...port,
    onClicked(listener) {
      port.onClicked(listener);
      api.runtime.onMessage.addListener((msg, sender) => {
        const parsed = e2eClick(msg);
        if (!parsed || sender.id !== api.runtime.id || !sender.url?.startsWith(ownPages)) {
          return undefined;
        }
        return api.tabs.get(parsed.tabId).then((tab) => {
          const { id, windowId, title } = tab;
          listener(parsed.click, { id, windowId, title, url: tab.url ?? parsed.click.pageUrl });
          return { ok: true };
        });
      });
    },
  };
}

/**
 * Puts the user's prompts (names only) under "My prompts" and removes deleted ones. Called
 * by extension pages after unlock and after every change in Options → Prompts; `previous`
 * is the id list of the last sync (kept by the caller).
 */
export async function syncUserPromptMenu(
  menus: ContextMenusApi,
  prompts: readonly { id: string; name: string }[],
  previous: readonly string[],
): Promise<string[]> {
  const items = userPromptMenu(prompts);
  const ids = items.map((i) => i.id);
  for (const id of previous) {
    if (!ids.includes(id)) await menus.remove(id).catch(() => undefined);
  }
  for (const item of items) await upsert(menus, item);
  return ids;
}

/** Ids of user prompt items, for code that only has the prompt ids. */
export const userPromptMenuId = (id: string) => `${USER_PROMPT_PREFIX}${id}`;
export { USER_PROMPTS_PARENT };

/**
 * Keeps the user's own words out of the menu while the vault is locked: prompt names are
 * user-written, so "My prompts" (and every item under it: removing a parent removes its
 * children in Chrome and Firefox) goes away on lock and on a browser start while locked.
 * An extension page puts it back after unlock (`syncUserPromptMenu`, via the prompt store).
 * The background calls this synchronously, so the lock event wakes its service worker.
 * Returns the unsubscribe function.
 */
export function hideUserPromptsWhileLocked(
  menus: Pick<ContextMenusApi, 'remove'>,
  session: Pick<SessionKeyStore, 'read' | 'subscribe'>,
): () => void {
  // Missing already is fine: nothing to hide.
  const hide = () => menus.remove(USER_PROMPTS_PARENT).catch(() => undefined);
  const off = session.subscribe((keys) => {
    if (!keys) void hide();
  });
  void session.read().then(
    (keys) => (keys ? undefined : hide()),
    // Unreadable session: treat as locked.
    () => hide(),
  );
  return off;
}
