/**
 * Long-term memory over the encrypted `memory` collection. Platform-free: the repo is the
 * port (adapters/db/repos.ts `repos.memory`); every fact lives only inside an envelope.
 */
import { RecordError, type RecordRepo } from '../records/record-repo-port';
import type { MemoryEntry, MemoryStore } from './types';

/** The longest fact Nook keeps; memory is for short facts, not documents. */
export const MEMORY_TEXT_MAX = 500;

/** Why a memory entry was not saved, in plain words. */
export class MemoryError extends Error {
  readonly code: 'empty' | 'too-long' | 'not-found';
  constructor(code: MemoryError['code']) {
    super(MEMORY_ERROR_MESSAGE[code]);
    this.name = 'MemoryError';
    this.code = code;
  }
}

const MEMORY_ERROR_MESSAGE: Record<MemoryError['code'], string> = {
  empty: 'A memory needs some text.',
  'too-long': `A memory can hold at most ${MEMORY_TEXT_MAX} characters.`,
  'not-found': 'This memory no longer exists.',
};

function cleanText(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (!t) throw new MemoryError('empty');
  if (t.length > MEMORY_TEXT_MAX) throw new MemoryError('too-long');
  return t;
}

/**
 * Creates the memory store. `list()` returns entries newest first and skips records that
 * fail to decrypt (they stay on disk untouched; the repo reports them, we do not invent them).
 */
export function createMemoryStore(deps: {
  repo: RecordRepo<MemoryEntry>;
  now?: () => number;
  newId?: () => string;
}): MemoryStore {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of listeners) l();
  };

  async function list(): Promise<MemoryEntry[]> {
    const rows = await deps.repo.list();
    return rows
      .flatMap((r) => (r.ok ? [r.value] : []))
      .sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
  }

  return {
    list,
    async add(input) {
      const at = now();
      const entry: MemoryEntry = {
        id: newId(),
        text: cleanText(input.text),
        createdAt: at,
        updatedAt: at,
        source: input.source,
        ...(input.conversationId ? { conversationId: input.conversationId } : {}),
      };
      await deps.repo.put(entry.id, entry);
      notify();
      return entry;
    },
    async update(id, text) {
      let existing: MemoryEntry;
      try {
        existing = await deps.repo.get(id);
      } catch (cause) {
        if (
          cause instanceof RecordError &&
          (cause.code === 'not-found' || cause.code === 'deleted')
        ) {
          throw new MemoryError('not-found');
        }
        throw cause;
      }
      const entry: MemoryEntry = { ...existing, text: cleanText(text), updatedAt: now() };
      await deps.repo.put(id, entry);
      notify();
      return entry;
    },
    async remove(id) {
      await deps.repo.delete(id);
      notify();
    },
    async clear() {
      const rows = await deps.repo.list();
      // Damaged records are deleted too: "clear memory" must leave nothing behind.
      for (const r of rows) await deps.repo.delete(r.id);
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
