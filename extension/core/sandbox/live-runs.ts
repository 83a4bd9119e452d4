/**
 * Output of the runs in progress, for their cards: kept in memory only (never stored) and
 * dropped when the run ends, when the saved result takes over. Keyed by the assistant
 * message and the code, which identify a run_code call on its card.
 */
import type { ToolProgress } from '../tools/types';

/** Live output kept per run (the newest characters). */
export const LIVE_OUTPUT_CHARS = 64_000;

/** The key of one run: its message and its code. */
export const liveRunKey = (messageId: string, code: string): string => `${messageId}\u0000${code}`;

/** Creates the store. */
export function createLiveRuns() {
  const runs = new Map<string, ToolProgress[]>();
  const listeners = new Set<() => void>();
  const emit = () => {
    for (const l of listeners) l();
  };
  const EMPTY: readonly ToolProgress[] = [];

  return {
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** The run's output so far (a new array after every change, for React). */
    get: (key: string): readonly ToolProgress[] => runs.get(key) ?? EMPTY,
    start(key: string): void {
      runs.set(key, []);
      emit();
    },
    push(key: string, p: ToolProgress): void {
      const prev = runs.get(key);
      if (!prev) return;
      const next = [...prev, p];
      // Keep the newest output only: a chatty program must not grow memory without bound.
      let total = next.reduce((n, x) => n + x.data.length, 0);
      while (total > LIVE_OUTPUT_CHARS && next.length > 1) total -= next.shift()?.data.length ?? 0;
      runs.set(key, next);
      emit();
    },
    end(key: string): void {
      if (runs.delete(key)) emit();
    },
  };
}

/** The store's type. */
export type LiveRuns = ReturnType<typeof createLiveRuns>;
