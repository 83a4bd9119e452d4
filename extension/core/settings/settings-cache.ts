/**
 * The decrypted settings record of one unlocked page, kept so that reads on every send
 * (chat defaults, budgets, prices) do not decrypt it each time. Each read first takes a
 * cheap stamp of the stored row (revision, deleted flag, envelope tag; no decryption) and
 * decrypts again only when it changed, whether Options in another page, sync or this page
 * wrote it. Forgotten on lock. Platform-free: the stamp reader and key probe are injected.
 */
import type { AppSettings } from '../models';
import { createKeyEpoch } from '../records/key-epoch';
import type { RecordRepo } from '../records/record-repo-port';
import { loadSettings } from './settings';

export interface SettingsCacheDeps {
  repo: RecordRepo<AppSettings>;
  /** A marker of the stored settings row read without decrypting; equal means unchanged. */
  changeStamp: () => Promise<string>;
  /**
   * The keys the page holds now, or undefined once locked. A different answer than at the
   * last read (locked, or unlocked again) drops what is held.
   */
  keys: () => object | undefined;
}

export type LoadedSettings = Awaited<ReturnType<typeof loadSettings>>;

/** Copies deep enough that a caller changing budgets or prices never alters the cache. */
const copy = (r: LoadedSettings): LoadedSettings => ({
  settings: structuredClone(r.settings),
  damaged: r.damaged,
});

/** Creates the cache; `get()` wherever settings are read per message, `reset()` on lock. */
export function createSettingsCache(deps: SettingsCacheDeps) {
  let held: { stamp: string; result: LoadedSettings } | undefined;
  const guard = createKeyEpoch(deps.keys, () => (held = undefined));

  const api = {
    /** Like `loadSettings`: defaults filled in, a damaged record read as the defaults. */
    async load(): Promise<LoadedSettings> {
      for (;;) {
        guard.check();
        const start = guard.epoch();
        // Stamp first: a write landing between the two reads makes the next call re-read.
        const stamp = await deps.changeStamp().catch(() => undefined);
        guard.check();
        if (guard.epoch() !== start) continue;
        if (held && stamp !== undefined && held.stamp === stamp) return copy(held.result);
        const result = await loadSettings(deps.repo);
        guard.check();
        if (guard.epoch() !== start) continue;
        held = stamp === undefined ? undefined : { stamp, result };
        return copy(result);
      }
    },

    /** The settings alone. */
    async get(): Promise<AppSettings> {
      return (await api.load()).settings;
    },

    /** Forgets the decrypted settings (on lock). */
    reset: guard.reset,
  };
  return api;
}

export type SettingsCache = ReturnType<typeof createSettingsCache>;
