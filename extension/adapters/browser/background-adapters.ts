import type { BackgroundAdapters } from '../../core/background/start-background';
import type { KvArea } from '../vault/kv-area';
import { createSessionKeyStore } from '../vault/session-key-store';

/**
 * The parts of the `browser` object the background uses. Chrome-only (`sidePanel`,
 * `setAccessLevel`) and Firefox-only (`sidebarAction`) members are optional.
 */
export interface BackgroundBrowser {
  storage: {
    session: KvArea & {
      setAccessLevel?: (options: { accessLevel: 'TRUSTED_CONTEXTS' }) => Promise<void>;
    };
  };
  alarms: {
    create(name: string, info: { periodInMinutes: number }): Promise<void> | void;
    onAlarm: { addListener(listener: (alarm: { name: string }) => void): void };
  };
  runtime: {
    onInstalled: { addListener(listener: () => void): void };
    onStartup: { addListener(listener: () => void): void };
  };
  commands: {
    onCommand: {
      addListener(listener: (command: string, tab?: { windowId?: number }) => void): void;
    };
  };
  sidePanel?: {
    setPanelBehavior(behavior: { openPanelOnActionClick: boolean }): Promise<void>;
    open(options: { windowId: number }): Promise<void>;
  };
  sidebarAction?: { open(): Promise<void>; toggle?(): Promise<void> };
  /** Firefox: the toolbar button has no built-in "open the sidebar" behaviour. */
  action?: { onClicked: { addListener(listener: () => void): void } };
}

/** Adapts the WebExtension APIs to the background's ports. Pass `browser` in. */
export function createBackgroundAdapters(api: BackgroundBrowser): BackgroundAdapters {
  // Setup runs on install, on startup and on every wake: add the click listener once.
  let actionOpensSidebar = false;
  return {
    session: createSessionKeyStore(api.storage.session),
    everyMinute(name, check) {
      void api.alarms.create(name, { periodInMinutes: 1 });
      api.alarms.onAlarm.addListener((alarm) => {
        if (alarm.name === name) check();
      });
    },
    onLifecycle(setup) {
      api.runtime.onInstalled.addListener(setup);
      api.runtime.onStartup.addListener(setup);
    },
    onCommand(listener) {
      api.commands.onCommand.addListener((command, tab) => listener(command, tab?.windowId));
    },
    panel: {
      async openOnActionClick() {
        const sidebar = api.sidebarAction;
        if (sidebar && api.action && !actionOpensSidebar) {
          actionOpensSidebar = true;
          // Inside the click's user gesture, with no await before it.
          api.action.onClicked.addListener(
            () => void (sidebar.toggle ? sidebar.toggle() : sidebar.open()).catch(() => undefined),
          );
        }
        await api.sidePanel?.setPanelBehavior({ openPanelOnActionClick: true });
      },
      async open(windowId) {
        // Both calls must happen inside the command's user gesture: no await before them.
        if (api.sidebarAction) return api.sidebarAction.open();
        if (api.sidePanel && windowId !== undefined) return api.sidePanel.open({ windowId });
      },
    },
    async restrictSession() {
      await api.storage.session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' });
    },
  };
}
