/**
 * The chat engine's state container: the state, its listeners, and the small mutations
 * every action shares (show a conversation or message list change, drop messages, turn a
 * failure into a plain-words error). Platform-free; the controller owns one.
 */
import type { Conversation, Message } from '../models';
import type { RecordResult } from '../records/record-repo-port';
import {
  byNewest,
  byOldest,
  emptyChatState,
  type ChatControllerDeps,
  type ChatState,
} from './chat-state';
import type { SearchIndex } from './search-index';

/** Creates the state container over the repos; `index` follows titles and searches. */
export function createChatStore(
  deps: Pick<ChatControllerDeps, 'conversations' | 'messages'>,
  index: SearchIndex,
) {
  const listeners = new Set<(s: ChatState) => void>();
  let state: ChatState = emptyChatState();

  /**
   * Decrypted message lists by conversation, kept while unlocked (filled by the load after
   * unlock, which decrypts everything for search anyway, and by every change to the open
   * list): opening a conversation shows them at once, then re-reads the store. Emptied on
   * lock with the rest of the state.
   */
  const warm = new Map<string, RecordResult<Message>[]>();

  const update = (patch: Partial<ChatState>) => {
    state = { ...state, ...patch };
    if (patch.messages && state.selectedId !== undefined && patch.messages.length > 0) {
      warm.set(state.selectedId, patch.messages);
    }
    if ('query' in patch || 'conversations' in patch) {
      state.matches = state.query.trim() ? index.search(state.query) : undefined;
    }
    for (const l of listeners) l(state);
  };

  return {
    get: (): ChatState => state,
    update,
    /** Keeps the messages the load after unlock decrypted, grouped by conversation. */
    warmUp(messages: readonly RecordResult<Message>[]): void {
      warm.clear();
      const groups = new Map<string, RecordResult<Message>[]>();
      for (const m of messages) {
        if (!m.ok) continue;
        const list = groups.get(m.value.conversationId) ?? [];
        list.push(m);
        groups.set(m.value.conversationId, list);
      }
      for (const [id, list] of groups) warm.set(id, list.sort(byOldest));
    },
    /** Forgets every decrypted message list (on lock). */
    forget(): void {
      warm.clear();
    },
    subscribe(listener: (s: ChatState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Runs an action and turns a failure into a plain message instead of a silent drop. */
    async guarded(action: () => Promise<void>, failure: string): Promise<void> {
      try {
        await action();
      } catch {
        update({ error: failure });
      }
    },

    /** Reads a conversation's messages and shows them if it is still the open one. */
    async loadMessages(conversationId: string): Promise<void> {
      const cached = warm.get(conversationId);
      if (cached && state.selectedId === conversationId) update({ messages: cached });
      // What is on screen is not decrypted again: only new or changed revisions are.
      const known = new Map(state.messages.map((m) => [m.id, m]));
      const messages = await deps.messages.list(
        { kind: 'equals', index: 'conversationId', value: conversationId },
        state.selectedId === conversationId ? known : undefined,
      );
      if (state.selectedId !== conversationId) return;
      const fresh = sameRecords(state.messages, messages.sort(byOldest));
      // Unchanged (the usual case after showing the warm list): no second render at all.
      if (fresh !== state.messages) update({ messages: fresh });
    },

    /** Shows a saved conversation (new or changed) in the list, newest first. */
    upsertConversation(c: Conversation, rev: number): void {
      index.setTitle(c.id, c.title);
      const rest = state.conversations.filter((r) => r.id !== c.id);
      const entry: RecordResult<Conversation> = {
        ok: true,
        id: c.id,
        rev,
        updatedAt: c.updatedAt,
        value: c,
      };
      update({ conversations: [entry, ...rest].sort(byNewest) });
    },

    /** The open conversation, if it is saved and readable. */
    current(): Conversation | undefined {
      const c = state.conversations.find((r) => r.id === state.selectedId);
      return c?.ok ? c.value : undefined;
    },

    /** Tombstones the given messages and removes them from view. */
    async dropMessages(ids: readonly string[]): Promise<void> {
      for (const id of ids) await deps.messages.delete(id);
      const gone = new Set(ids);
      update({ messages: state.messages.filter((m) => !gone.has(m.id)) });
    },
  };
}

export type ChatStore = ReturnType<typeof createChatStore>;

/**
 * `next`, reusing the entries of `prev` that have the same id and revision (so memoised
 * views skip them), or `prev` itself when nothing changed.
 */
function sameRecords<T>(prev: RecordResult<T>[], next: RecordResult<T>[]): RecordResult<T>[] {
  const byId = new Map(prev.map((r) => [r.id, r]));
  let changed = prev.length !== next.length;
  const out = next.map((r, i) => {
    const old = byId.get(r.id);
    const keep = old !== undefined && old.rev === r.rev && old.ok === r.ok;
    if (!keep || prev[i] !== old) changed = true;
    return keep ? old : r;
  });
  return changed ? out : prev;
}
