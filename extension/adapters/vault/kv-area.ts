/**
 * The slice of a WebExtension `StorageArea` (`browser.storage.session`) Nook uses.
 * Adapters take it as a parameter so tests can pass `createMemoryKvArea()`.
 */
export interface KvArea {
  get(keys: string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
  onChanged: {
    addListener(listener: KvChangeListener): void;
    removeListener(listener: KvChangeListener): void;
  };
}

/** Shape of a StorageArea change event. */
export type KvChangeListener = (
  changes: Record<string, { oldValue?: unknown; newValue?: unknown }>,
) => void;

/**
 * In-memory KvArea with the same change-event semantics, for tests. Several services
 * sharing one area behave like several extension pages sharing storage.session.
 */
export function createMemoryKvArea(): KvArea & { dump(): Record<string, unknown> } {
  const data = new Map<string, unknown>();
  const listeners = new Set<KvChangeListener>();
  const emit = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>) => {
    // Real storage events are asynchronous; fire on a microtask to match.
    if (Object.keys(changes).length > 0) queueMicrotask(() => listeners.forEach((l) => l(changes)));
  };
  const list = (keys: string | string[]) => (typeof keys === 'string' ? [keys] : keys);
  return {
    async get(keys) {
      const out: Record<string, unknown> = {};
      for (const k of list(keys)) if (data.has(k)) out[k] = structuredClone(data.get(k));
      return out;
    },
    async set(items) {
      const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
      for (const [k, v] of Object.entries(items)) {
        changes[k] = { oldValue: data.get(k), newValue: structuredClone(v) };
        data.set(k, structuredClone(v));
      }
      emit(changes);
    },
    async remove(keys) {
      const changes: Record<string, { oldValue?: unknown }> = {};
      for (const k of list(keys)) {
        if (!data.has(k)) continue;
        changes[k] = { oldValue: data.get(k) };
        data.delete(k);
      }
      emit(changes);
    },
    onChanged: {
      addListener: (l) => void listeners.add(l),
      removeListener: (l) => void listeners.delete(l),
    },
    dump: () => Object.fromEntries(data),
  };
}
