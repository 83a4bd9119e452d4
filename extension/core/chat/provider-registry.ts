/**
 * The user's configured providers, stored whole (key included) as encrypted records of
 * the `secrets` collection, and the adapters built from them. Adapters exist only while
 * the vault is unlocked: `reset()` (on lock) drops them with the decrypted keys.
 * Platform-free: the SDK adapter factory is injected.
 */
import type { RecordRepo, RecordResult } from '../records/record-repo-port';
import type { ProviderAdapter, ProviderConfig } from './provider';
import { ProviderError, validateProviderConfig, type ProviderConfigIssue } from './provider-error';

/** A provider as saved in the `secrets` collection. */
export type StoredProvider = ProviderConfig & { createdAt: number };

/** What the options page and the model picker render. */
export interface ProviderRegistryState {
  loaded: boolean;
  /** Oldest first; damaged records appear as `{ ok: false }`. */
  providers: RecordResult<StoredProvider>[];
}

export interface ProviderRegistryDeps {
  repo: RecordRepo<StoredProvider>;
  createAdapter: (cfg: ProviderConfig) => ProviderAdapter;
  /**
   * A cheap marker of the stored providers read without decrypting (ids, revisions,
   * envelope tags): equal markers mean equal rows. Lets `refresh()` skip re-reading and
   * decrypting every key when nothing changed; without it `refresh()` always re-reads.
   */
  changeStamp?: () => Promise<string>;
  now?: () => number;
  newId?: () => string;
}

/** The result of saving: the stored provider, or the issues to show beside the fields. */
export type SaveProviderResult =
  { ok: true; provider: StoredProvider } | { ok: false; issues: ProviderConfigIssue[] };

/**
 * Shows a key as `sk-…a1B2`: enough to recognise it, useless to anyone reading over a
 * shoulder. Short keys show only the ellipsis.
 */
export function maskKey(key: string | undefined): string {
  const k = (key ?? '').trim();
  if (k === '') return '(no key)';
  if (k.length < 12) return '…';
  const prefix = /^[a-z]{2,4}-/i.exec(k)?.[0] ?? k.slice(0, 3);
  return `${prefix}…${k.slice(-4)}`;
}

/** Creates the registry; call `load()` after every unlock and `reset()` on lock. */
export function createProviderRegistry(deps: ProviderRegistryDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  const listeners = new Set<(s: ProviderRegistryState) => void>();
  // Keyed by id + revision so an edited provider gets a fresh adapter.
  const adapters = new Map<string, ProviderAdapter>();
  let state: ProviderRegistryState = { loaded: false, providers: [] };
  /** The change stamp read just before the list now in `state` (undefined: unknown). */
  let stamp: string | undefined;
  // Ordering of reads against each other, this page's saves and lock, so a slower read
  // never replaces a newer state (nor shows keys after lock).
  let reads = 0;
  let applied = 0;
  let writes = 0;
  let locks = 0;

  const update = (next: ProviderRegistryState) => {
    state = next;
    for (const l of listeners) l(state);
  };
  const byOldest = (a: RecordResult<StoredProvider>, b: RecordResult<StoredProvider>) =>
    (a.ok ? a.value.createdAt : a.updatedAt) - (b.ok ? b.value.createdAt : b.updatedAt);

  const api = {
    getState: (): ProviderRegistryState => state,
    subscribe(listener: (s: ProviderRegistryState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async load(): Promise<void> {
      const lock = locks;
      for (;;) {
        const seq = ++reads;
        const wrote = writes;
        // Stamp first: a change landing between the two reads makes the next refresh re-read.
        const seen = await deps.changeStamp?.().catch(() => undefined);
        const providers = await deps.repo.list();
        if (locks !== lock || seq < applied) return;
        if (writes !== wrote) continue; // saved here meanwhile: the list may predate it
        applied = seq;
        update({ loaded: true, providers: providers.sort(byOldest) });
        stamp = seen;
        return;
      }
    },

    /**
     * Before each answer: re-reads the providers only if the stored rows changed since the
     * last read (Options in another page, sync, this page), so an edited key or a new
     * provider is used by the very next message without decrypting every key per send.
     */
    async refresh(): Promise<void> {
      if (!state.loaded || stamp === undefined || !deps.changeStamp) return api.load();
      const now = await deps.changeStamp().catch(() => undefined);
      if (now === undefined || now !== stamp) await api.load();
    },

    /** Validates, then saves (new when `cfg.id` is empty). Nothing is saved on an issue. */
    async save(cfg: ProviderConfig): Promise<SaveProviderResult> {
      const issues = validateProviderConfig(cfg);
      if (issues.length > 0) return { ok: false, issues };
      const existing = state.providers.find((p) => p.id === cfg.id);
      const provider: StoredProvider = {
        ...cfg,
        id: cfg.id || newId(),
        label: cfg.label.trim(),
        apiKey: cfg.apiKey?.trim() || undefined,
        baseUrl: cfg.baseUrl?.trim() || undefined,
        createdAt: existing?.ok ? existing.value.createdAt : now(),
      };
      const rev = await deps.repo.put(provider.id, provider);
      const entry: RecordResult<StoredProvider> = {
        ok: true,
        id: provider.id,
        rev,
        updatedAt: now(),
        value: provider,
      };
      update({
        loaded: true,
        providers: [...state.providers.filter((p) => p.id !== provider.id), entry].sort(byOldest),
      });
      // The list now differs from the last read; the next refresh reads it whole.
      writes += 1;
      stamp = undefined;
      return { ok: true, provider };
    },

    async remove(id: string): Promise<void> {
      await deps.repo.delete(id);
      for (const k of [...adapters.keys()]) if (k.startsWith(`${id}:`)) adapters.delete(k);
      update({ ...state, providers: state.providers.filter((p) => p.id !== id) });
      writes += 1;
      stamp = undefined;
    },

    /** The saved provider with this id, if it exists and decrypts. */
    find(id: string | undefined): StoredProvider | undefined {
      const entry = state.providers.find((p) => p.id === id);
      return entry?.ok ? entry.value : undefined;
    },

    /** Usable providers (decrypted), oldest first. */
    usable(): StoredProvider[] {
      return state.providers.flatMap((p) => (p.ok ? [p.value] : []));
    },

    /**
     * The adapter for a saved provider, built once per revision. Throws ProviderError
     * ('config') for a missing provider or unusable settings.
     */
    adapterFor(id: string): ProviderAdapter {
      const entry = state.providers.find((p) => p.id === id);
      if (!entry?.ok) {
        throw new ProviderError('config', {
          provider: 'The chosen provider',
          detail: 'it no longer exists; pick another one in the model menu.',
        });
      }
      const key = `${id}:${entry.rev}`;
      let adapter = adapters.get(key);
      if (!adapter) {
        adapter = deps.createAdapter(entry.value);
        adapters.set(key, adapter);
      }
      return adapter;
    },

    /** Builds a throwaway adapter for an unsaved form ("Test connection" before Save). */
    adapterForDraft(cfg: ProviderConfig): ProviderAdapter {
      return deps.createAdapter(cfg);
    },

    /** Forgets every decrypted key and adapter (on lock). */
    reset(): void {
      adapters.clear();
      update({ loaded: false, providers: [] });
      locks += 1;
      stamp = undefined;
    },
  };
  return api;
}

export type ProviderRegistry = ReturnType<typeof createProviderRegistry>;
