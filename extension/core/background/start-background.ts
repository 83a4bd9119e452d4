import { checkAutoLock } from '../vault/auto-lock';
import {
  builtinMenu,
  handleMenuClick,
  type ContextMenuPorts,
  type MenuClick,
  type MenuItem,
  type MenuTab,
} from './context-menu';
import { systemClock, type Clock, type SessionKeyStore } from '../vault/ports';

export { checkAutoLock } from '../vault/auto-lock';

/** Name of the alarm that checks for idleness. */
export const AUTO_LOCK_ALARM = 'nook-auto-lock';
/** Name of the daily alarm that applies the retention rule (Options → Data). */
export const RETENTION_ALARM = 'nook-retention';
/** Keyboard command (manifest `commands`) that opens the panel. */
export const OPEN_COMMAND = 'open-nook';

/** The platform pieces the background needs, passed in by the entrypoint. */
export interface BackgroundAdapters {
  session: SessionKeyStore;
  /** Runs `check` every minute, also after the service worker was suspended. */
  everyMinute(name: string, check: () => void): void;
  /** Runs `setup` when the extension is installed/updated and when the browser starts. */
  onLifecycle(setup: () => void): void;
  onCommand(listener: (command: string, windowId: number | undefined) => void): void;
  panel: {
    /** Chrome: make the toolbar button open the side panel. */
    openOnActionClick(): Promise<void>;
    /** Opens the side panel (Chrome) or sidebar (Firefox); must run inside the gesture. */
    open(windowId: number | undefined): Promise<void>;
  };
  /** Keeps storage.session away from content scripts where the browser supports it. */
  restrictSession(): Promise<void>;
  /** The right-click menu (absent in tests of the auto-lock alone). */
  contextMenu?: Omit<ContextMenuPorts, 'openPanel'> & {
    /** Creates or updates Nook's built-in items (idempotent; user prompt items stay). */
    install(items: MenuItem[]): Promise<void>;
    onClicked(listener: (click: MenuClick, tab: MenuTab | undefined) => void): void;
  };
  /** Runs `task` once a day (alarm), also after the service worker was suspended. */
  daily?(name: string, task: () => void): void;
  /** Deletes conversations past the retention limit if unlocked; resolves to how many. */
  retention?(): Promise<number>;
  clock?: Clock;
}

/** Wires the background service worker. Listeners are registered synchronously. */
export function startBackground(adapters: BackgroundAdapters): void {
  const clock = adapters.clock ?? systemClock;
  const report = (what: string) => (e: unknown) =>
    console.error(`Nook background: ${what} failed`, e instanceof Error ? e.name : 'unknown error');

  adapters.onCommand((command, windowId) => {
    if (command === OPEN_COMMAND) adapters.panel.open(windowId).catch(report('opening the panel'));
  });
  adapters.everyMinute(AUTO_LOCK_ALARM, () => {
    checkAutoLock(adapters.session, clock).catch(report('auto-lock'));
  });
  adapters.daily?.(RETENTION_ALARM, () => {
    adapters.retention?.().catch(report('retention'));
  });
  const setup = () => {
    adapters.panel.openOnActionClick().catch(report('panel setup'));
    adapters.restrictSession().catch(report('session access level'));
    menu?.install(builtinMenu()).catch(report('context menu setup'));
  };
  const menu = adapters.contextMenu;
  if (menu) {
    const ports: ContextMenuPorts = { ...menu, openPanel: (w) => adapters.panel.open(w) };
    menu.onClicked((click, tab) => {
      handleMenuClick(ports, click, tab).catch(report('the context menu'));
    });
  }
  adapters.onLifecycle(setup);
  // A service worker woken by an alarm skips onStartup; make the setup idempotent and run it now.
  setup();
}
