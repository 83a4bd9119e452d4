import { describe, expect, it } from 'vitest';
import { createMemoryKvArea } from '../../adapters/vault/kv-area';
import { createSessionKeyStore } from '../../adapters/vault/session-key-store';
import {
  AUTO_LOCK_ALARM,
  checkAutoLock,
  OPEN_COMMAND,
  startBackground,
  type BackgroundAdapters,
} from './start-background';
import type { MenuClick, MenuTab } from './context-menu';

const keys = { vaultId: 'v1', ak: 'AAAA', autoLockMinutes: 15 };

function fakeAdapters() {
  const session = createSessionKeyStore(createMemoryKvArea());
  const clock = { t: 10_000_000, now: () => clock.t };
  const calls: string[] = [];
  const alarms = new Map<string, () => void>();
  let command: ((c: string, w: number | undefined) => void) | undefined;
  let lifecycle: (() => void) | undefined;
  const adapters: BackgroundAdapters = {
    session,
    clock,
    everyMinute: (name, check) => void alarms.set(name, check),
    onLifecycle: (setup) => void (lifecycle = setup),
    onCommand: (l) => void (command = l),
    panel: {
      openOnActionClick: async () => void calls.push('action-click'),
      open: async (w) => void calls.push(`open:${w}`),
    },
    restrictSession: async () => void calls.push('restrict'),
  };
  return {
    adapters,
    session,
    clock,
    calls,
    alarms,
    command: () => command,
    lifecycle: () => lifecycle,
  };
}

describe('background', () => {
  it('auto-locks only after the idle minutes copied into the session', async () => {
    const { session, clock } = fakeAdapters();
    await session.write(keys);
    await session.touch(clock.t);
    clock.t += 15 * 60_000;
    expect(await checkAutoLock(session, clock)).toBe(false);
    expect(await session.read()).toEqual(keys);
    clock.t += 1;
    expect(await checkAutoLock(session, clock)).toBe(true);
    expect(await session.read()).toBeUndefined();
    expect(await session.lastActivity()).toBeUndefined();
  });

  it('treats keys without an activity time as idle', async () => {
    const { session, clock } = fakeAdapters();
    await session.write(keys);
    expect(await checkAutoLock(session, clock)).toBe(true);
  });

  it('wires the minute alarm, the open command and the panel setup', async () => {
    const f = fakeAdapters();
    startBackground(f.adapters);
    expect(f.calls.sort()).toEqual(['action-click', 'restrict']);
    f.command()?.(OPEN_COMMAND, 7);
    f.command()?.('something-else', 7);
    f.lifecycle()?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(f.calls.filter((c) => c.startsWith('open'))).toEqual(['open:7']);
    expect(f.calls.filter((c) => c === 'action-click')).toHaveLength(2);

    await f.session.write({ ...keys, autoLockMinutes: 1 });
    await f.session.touch(f.clock.t);
    f.clock.t += 2 * 60_000;
    f.alarms.get(AUTO_LOCK_ALARM)?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(await f.session.read()).toBeUndefined();
  });
});

describe('background context menu', () => {
  it('installs the built-in items and turns a click into a pending context for the panel', async () => {
    const { adapters, calls, lifecycle } = fakeAdapters();
    const installed: string[] = [];
    const pending: unknown[] = [];
    let click: ((c: MenuClick, t: MenuTab | undefined) => void) | undefined;
    adapters.contextMenu = {
      install: async (items) => void installed.push(...items.map((i) => i.title)),
      onClicked: (l) => void (click = l),
      extract: async () => ({
        title: 'T',
        url: 'http://127.0.0.1:9/a.html',
        text: 'all',
        selection: 'picked words',
        truncated: false,
        totalChars: 3,
        kind: 'html',
      }),
      fileAccess: async () => false,
      putPending: async (p) => void pending.push(p),
    };
    startBackground(adapters);
    lifecycle()?.();
    expect(installed).toContain('Summarize this page');
    expect(installed).toContain('Translate');
    click?.(
      { menuItemId: 'nook-explain', frameId: 0 },
      { id: 3, windowId: 7, url: 'http://127.0.0.1:9/a.html', title: 'T' },
    );
    await waitUntil(() => pending.length > 0);
    expect(calls).toContain('open:7');
    expect(pending[0]).toMatchObject({
      prompt: 'Explain the selected text in simple words.',
      attachment: { source: 'selection', text: 'picked words', url: 'http://127.0.0.1:9/a.html' },
    });
  });
});

async function waitUntil(f: () => boolean) {
  for (let i = 0; i < 100 && !f(); i++) await new Promise((r) => setTimeout(r, 1));
}
