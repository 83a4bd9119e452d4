import { describe, expect, it } from 'vitest';
import { createMemoryKvArea } from '../vault/kv-area';
import { createBackgroundAdapters, type BackgroundBrowser } from './background-adapters';

/** A fake `browser` recording the calls the adapters make. */
function fakeBrowser(kind: 'chrome' | 'firefox') {
  const calls: unknown[][] = [];
  const listeners: Record<string, (...args: never[]) => void> = {};
  const on = (name: string) => ({
    addListener: (l: (...args: never[]) => void) => void (listeners[name] = l),
  });
  const api: BackgroundBrowser = {
    storage: {
      session: Object.assign(createMemoryKvArea(), {
        ...(kind === 'chrome'
          ? { setAccessLevel: async (o: unknown) => void calls.push(['setAccessLevel', o]) }
          : {}),
      }),
    },
    alarms: {
      create: (name, info) => void calls.push(['alarms.create', name, info]),
      onAlarm: on('alarm'),
    },
    runtime: { onInstalled: on('installed'), onStartup: on('startup') },
    commands: { onCommand: on('command') },
    ...(kind === 'chrome'
      ? {
          sidePanel: {
            setPanelBehavior: async (b) => void calls.push(['setPanelBehavior', b]),
            open: async (o) => void calls.push(['sidePanel.open', o]),
          },
        }
      : {
          sidebarAction: {
            open: async () => void calls.push(['sidebarAction.open']),
            toggle: async () => void calls.push(['sidebarAction.toggle']),
          },
          action: { onClicked: on('actionClicked') },
        }),
  };
  return { api, calls, listeners };
}

describe('background adapters', () => {
  it('Chrome: opens the side panel on the action and the command, restricts the session', async () => {
    const { api, calls, listeners } = fakeBrowser('chrome');
    const a = createBackgroundAdapters(api);
    let commands: [string, number | undefined][] = [];
    a.onCommand((c, w) => commands.push([c, w]));
    (listeners.command as (c: string, t: { windowId: number }) => void)('open-nook', {
      windowId: 3,
    });
    expect(commands).toEqual([['open-nook', 3]]);
    commands = [];
    await a.panel.openOnActionClick();
    await a.panel.open(3);
    await a.restrictSession();
    expect(calls).toEqual([
      ['setPanelBehavior', { openPanelOnActionClick: true }],
      ['sidePanel.open', { windowId: 3 }],
      ['setAccessLevel', { accessLevel: 'TRUSTED_CONTEXTS' }],
    ]);
  });

  it('Firefox: opens the sidebar and skips Chrome-only calls', async () => {
    const { api, calls } = fakeBrowser('firefox');
    const a = createBackgroundAdapters(api);
    await a.panel.openOnActionClick();
    await a.restrictSession();
    await a.panel.open(undefined);
    expect(calls).toEqual([['sidebarAction.open']]);
  });

  it('Firefox: the toolbar button toggles the sidebar, with one listener however often setup runs', async () => {
    const { api, calls, listeners } = fakeBrowser('firefox');
    let added = 0;
    const onClicked = api.action!.onClicked;
    api.action = {
      onClicked: { addListener: (l) => void (added++, onClicked.addListener(l)) },
    };
    const a = createBackgroundAdapters(api);
    await a.panel.openOnActionClick();
    await a.panel.openOnActionClick();
    expect(added).toBe(1);
    (listeners.actionClicked as () => void)();
    await Promise.resolve();
    expect(calls).toEqual([['sidebarAction.toggle']]);
  });

  it('creates a one-minute alarm and runs the check only for its own name', () => {
    const { api, calls, listeners } = fakeBrowser('chrome');
    let runs = 0;
    createBackgroundAdapters(api).everyMinute('nook-auto-lock', () => runs++);
    expect(calls).toEqual([['alarms.create', 'nook-auto-lock', { periodInMinutes: 1 }]]);
    const fire = listeners.alarm as (a: { name: string }) => void;
    fire({ name: 'someone-else' });
    fire({ name: 'nook-auto-lock' });
    expect(runs).toBe(1);
  });
});
