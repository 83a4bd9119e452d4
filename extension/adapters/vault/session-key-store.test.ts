import { describe, expect, it } from 'vitest';
import { createMemoryKvArea } from './kv-area';
import { createSessionKeyStore, SESSION_KEYS } from './session-key-store';

const keys = { vaultId: 'v1', ak: 'QUFB', autoLockMinutes: 15 };
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('session key store (storage.session)', () => {
  it('tells every page when keys appear and disappear, ignoring activity updates', async () => {
    const area = createMemoryKvArea();
    const panel = createSessionKeyStore(area);
    const options = createSessionKeyStore(area);
    const seen: unknown[] = [];
    const stop = options.subscribe((k) => seen.push(k));
    await panel.write(keys);
    await panel.touch(5);
    await panel.clear();
    await flush();
    expect(seen).toEqual([keys, undefined]);
    stop();
    await panel.write(keys);
    await flush();
    expect(seen).toHaveLength(2);
  });

  it('ignores malformed session values instead of trusting them', async () => {
    const area = createMemoryKvArea();
    await area.set({ [SESSION_KEYS.keys]: { vaultId: 'v1', ak: 42 } });
    expect(await createSessionKeyStore(area).read()).toBeUndefined();
  });
});
