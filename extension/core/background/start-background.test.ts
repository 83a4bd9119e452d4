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
