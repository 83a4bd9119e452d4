/**
 * Reads (and removes) the context-menu click the background left in storage.session, and
 * tells the panel when a new one arrives while it is open.
 */
import { PENDING_KEY, type PendingContext } from '../../core/background/context-menu';
import type { KvArea } from '../vault/kv-area';

function isPending(v: unknown): v is PendingContext {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Partial<PendingContext>;
  return (
    typeof p.id === 'string' && typeof p.createdAt === 'number' && typeof p.prompt === 'string'
  );
}

/** The pending-context port over `browser.storage.session`. */
export function createPendingContextSource(area: KvArea) {
  return {
    /** Takes the pending click, if any (it is removed so it applies once). */
    async take(): Promise<PendingContext | undefined> {
      const got = (await area.get(PENDING_KEY))[PENDING_KEY];
      if (got === undefined) return undefined;
      await area.remove(PENDING_KEY);
      return isPending(got) ? got : undefined;
    },
    /** Calls `listener` whenever a new click is stored. */
    subscribe(listener: () => void): () => void {
      const onChange = (changes: Record<string, { newValue?: unknown }>) => {
        if (changes[PENDING_KEY]?.newValue !== undefined) listener();
      };
      area.onChanged.addListener(onChange);
      return () => area.onChanged.removeListener(onChange);
    },
  };
}

export type PendingContextSource = ReturnType<typeof createPendingContextSource>;
