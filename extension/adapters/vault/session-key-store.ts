import type { SessionKeys, SessionKeyStore } from '../../core/vault/ports';
import type { KvArea, KvChangeListener } from './kv-area';

/** storage.session keys. Only the AK (base64) + vault id + idle minutes, never content. */
export const SESSION_KEYS = { keys: 'nook.keys', activity: 'nook.lastActivity' } as const;

function parseKeys(value: unknown): SessionKeys | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (
    typeof v.vaultId !== 'string' ||
    typeof v.ak !== 'string' ||
    typeof v.autoLockMinutes !== 'number'
  ) {
    return undefined;
  }
  return { vaultId: v.vaultId, ak: v.ak, autoLockMinutes: v.autoLockMinutes };
}

/**
 * SessionKeyStore over `browser.storage.session` (pass the area in). Chrome keeps this
 * area in memory only and clears it when the browser or extension restarts.
 */
export function createSessionKeyStore(area: KvArea): SessionKeyStore {
  return {
    async read() {
      return parseKeys((await area.get(SESSION_KEYS.keys))[SESSION_KEYS.keys]);
    },
    write: (keys) => area.set({ [SESSION_KEYS.keys]: keys }),
    clear: () => area.remove([SESSION_KEYS.keys, SESSION_KEYS.activity]),
    touch: (at) => area.set({ [SESSION_KEYS.activity]: at }),
    async lastActivity() {
      const v = (await area.get(SESSION_KEYS.activity))[SESSION_KEYS.activity];
      return typeof v === 'number' ? v : undefined;
    },
    subscribe(listener) {
      const onChange: KvChangeListener = (changes) => {
        const change = changes[SESSION_KEYS.keys];
        if (change) listener(parseKeys(change.newValue));
      };
      area.onChanged.addListener(onChange);
      return () => area.onChanged.removeListener(onChange);
    },
  };
}
