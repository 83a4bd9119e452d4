/**
 * The user's own context-menu prompts over the encrypted `prompts` collection (Options →
 * Prompts). `onChange` lets the page re-sync the "My prompts" menu. Platform-free.
 */
import type { RecordRepo } from '../records/record-repo-port';
import { cleanPrompt, type UserPrompt } from './prompts';

/** What Options → Prompts renders. */
export interface PromptState {
  loaded: boolean;
  prompts: UserPrompt[];
  /** Records that could not be decrypted (shown as one line, never dropped silently). */
  damaged: number;
}

/** Creates the prompt store. */
export function createPromptStore(deps: {
  repo: RecordRepo<UserPrompt>;
  now?: () => number;
  newId?: () => string;
  /** Called with the current list after every load or change (menu sync). */
  onChange?: (prompts: readonly UserPrompt[]) => void;
}) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  const listeners = new Set<(s: PromptState) => void>();
  let state: PromptState = { loaded: false, prompts: [], damaged: 0 };
  const set = (next: PromptState) => {
    state = next;
    for (const l of listeners) l(state);
    if (next.loaded) deps.onChange?.(next.prompts);
  };
  const byName = (a: UserPrompt, b: UserPrompt) => a.name.localeCompare(b.name);

  return {
    getState: (): PromptState => state,
    subscribe(listener: (s: PromptState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async load(): Promise<void> {
      const rows = await deps.repo.list();
      set({
        loaded: true,
        prompts: rows.flatMap((r) => (r.ok ? [r.value] : [])).sort(byName),
        damaged: rows.filter((r) => !r.ok).length,
      });
    },
    /** Saves a new or edited prompt; throws PromptError for a missing or over-long field. */
    async save(input: { id?: string; name: string; template: string }): Promise<UserPrompt> {
      const clean = cleanPrompt(input);
      const existing = state.prompts.find((p) => p.id === input.id);
      const prompt: UserPrompt = {
        id: existing?.id ?? newId(),
        ...clean,
        createdAt: existing?.createdAt ?? now(),
      };
      await deps.repo.put(prompt.id, prompt);
      set({
        ...state,
        loaded: true,
        prompts: [...state.prompts.filter((p) => p.id !== prompt.id), prompt].sort(byName),
      });
      return prompt;
    },
    async remove(id: string): Promise<void> {
      await deps.repo.delete(id);
      set({ ...state, prompts: state.prompts.filter((p) => p.id !== id) });
    },
    /** One prompt, read from the repo (the panel resolves a menu click with it). */
    async get(id: string): Promise<UserPrompt | undefined> {
      return deps.repo.get(id).catch(() => undefined);
    },
    /** Forgets decrypted prompts (on lock). */
    reset(): void {
      state = { loaded: false, prompts: [], damaged: 0 };
      for (const l of listeners) l(state);
    },
  };
}

export type PromptStore = ReturnType<typeof createPromptStore>;
