import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import {
  createBackgroundAdapters,
  type BackgroundBrowser,
} from '../adapters/browser/background-adapters';
import {
  createContextMenuAdapter,
  hideUserPromptsWhileLocked,
  withE2eContextClicks,
  type ContextMenusApi,
  type E2eHookApi,
  type ScriptingApi,
} from '../adapters/browser/context-menu-adapter';
import type { KvArea } from '../adapters/vault/kv-area';
import { createSessionKeyStore } from '../adapters/vault/session-key-store';
import { createBackgroundRetention } from '../adapters/data/background-retention';
import { startBackground } from '../core/background/start-background';

export default defineBackground({
  type: 'module',
  main() {
    // WXT types `browser` as Chrome's namespace; the adapter declares exactly what it uses.
    const api = browser as unknown as BackgroundBrowser & {
      contextMenus: ContextMenusApi;
      scripting: ScriptingApi;
      extension?: { isAllowedFileSchemeAccess?(): Promise<boolean> };
      storage: { session: KvArea };
    };
    const contextMenu = createContextMenuAdapter(api);
    // "My prompts" shows user-written names: gone while locked, back after unlock.
    hideUserPromptsWhileLocked(api.contextMenus, createSessionKeyStore(api.storage.session));
    startBackground({
      ...createBackgroundAdapters(api),
      ...createBackgroundRetention(api),
      // Right-click menu: selection / page → the panel (core/background/context-menu.ts).
      // `NOOK_E2E=1` builds add a test-only way to click it (wxt.config.ts); a constant
      // at build time, so store builds drop the hook entirely.
      contextMenu:
        import.meta.env.NOOK_E2E === true
          ? withE2eContextClicks(contextMenu, browser as unknown as E2eHookApi)
          : contextMenu,
    });
  },
});
