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
  sidebarAction?: { open(): Promise<void> };
}

/** Adapts the WebExtension APIs to the background's ports. Pass `browser` in. */
export function createBackgroundAdapters(api: BackgroundBrowser): BackgroundAdapters {
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
