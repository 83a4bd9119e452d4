import type { Conversation, Message } from '../models';
import type { RecordRepo, RecordResult } from '../records/record-repo-port';
import { createSearchIndex } from './search-index';
import { titleFromText } from './titles';

/** Shown after a message is saved while no provider exists yet. */
export const NO_PROVIDER_NOTICE = 'No AI provider is set up yet — add one in Options → Providers.';

/** Everything the conversation shell renders. */
export interface ChatState {
  loading: boolean;
  /** Newest first; damaged records appear as `{ ok: false }` in place. */
  conversations: RecordResult<Conversation>[];
  /** Ids matching the search box, or undefined when the box is empty. */
  matches: Set<string> | undefined;
  query: string;
  selectedId: string | undefined;
  /** Oldest first. */
  messages: RecordResult<Message>[];
  notice: string | undefined;
  error: string | undefined;
}

export interface ChatControllerDeps {
  conversations: RecordRepo<Conversation>;
  messages: RecordRepo<Message>;
  now?: () => number;
  newId?: () => string;
}

const byNewest = (a: RecordResult<Conversation>, b: RecordResult<Conversation>) =>
  (b.ok ? b.value.updatedAt : b.updatedAt) - (a.ok ? a.value.updatedAt : a.updatedAt);
const byOldest = (a: RecordResult<Message>, b: RecordResult<Message>) =>
  (a.ok ? a.value.createdAt : a.updatedAt) - (b.ok ? b.value.createdAt : b.updatedAt);

/**
 * The provider-less conversation shell: list, search, rename, delete, and saving the
 * user's messages. The chat engine (streaming answers) plugs in later.
 */
export function createChatController(deps: ChatControllerDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  const index = createSearchIndex();
  const listeners = new Set<(s: ChatState) => void>();
  let state: ChatState = {
    loading: true,
    conversations: [],
    matches: undefined,
    query: '',
    selectedId: undefined,
    messages: [],
    notice: undefined,
    error: undefined,
  };

  const update = (patch: Partial<ChatState>) => {
    state = { ...state, ...patch };
    if ('query' in patch || 'conversations' in patch) {
      state.matches = state.query.trim() ? index.search(state.query) : undefined;
    }
    for (const l of listeners) l(state);
  };

  /** Runs an action and turns a failure into a plain message instead of a silent drop. */
  async function guarded(action: () => Promise<void>, failure: string) {
    try {
      await action();
    } catch {
      update({ error: failure });
    }
  }

  async function loadMessages(conversationId: string) {
    const messages = await deps.messages.list({
      kind: 'equals',
      index: 'conversationId',
      value: conversationId,
    });
    if (state.selectedId === conversationId) update({ messages: messages.sort(byOldest) });
  }

  function upsertConversation(c: Conversation, rev: number) {
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
  }

  return {
    getState: (): ChatState => state,
    subscribe(listener: (s: ChatState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Decrypts the list and builds the search index (after every unlock). */
    async load(): Promise<void> {
      await guarded(async () => {
        const [conversations, messages] = await Promise.all([
          deps.conversations.list(),
          deps.messages.list(),
        ]);
        index.clear();
        for (const c of conversations) if (c.ok) index.setTitle(c.id, c.value.title);
        for (const m of messages)
          if (m.ok) index.addMessage(m.value.conversationId, m.id, m.value.content);
        update({ loading: false, conversations: conversations.sort(byNewest) });
      }, 'Your conversations could not be loaded. Lock and unlock Nook to try again.');
      if (state.loading) update({ loading: false });
    },

    async select(conversationId: string | undefined): Promise<void> {
      update({ selectedId: conversationId, messages: [], notice: undefined, error: undefined });
      if (conversationId)
        await guarded(() => loadMessages(conversationId), 'This conversation could not be opened.');
    },

    setQuery(query: string): void {
      update({ query });
    },

    /** Saves the user's message (creating a conversation titled from it if needed). */
    async send(text: string): Promise<boolean> {
      const content = text.trim();
      if (!content) return false;
      let ok = false;
      await guarded(async () => {
        const at = now();
        let conversationId = state.selectedId;
        const current = state.conversations.find((c) => c.id === conversationId);
        let conversation: Conversation;
        if (current?.ok) {
          conversation = { ...current.value, updatedAt: at };
        } else {
          conversationId = newId();
          conversation = {
            id: conversationId,
            title: titleFromText(content),
            createdAt: at,
            updatedAt: at,
          };
        }
        const message: Message = {
          id: newId(),
          conversationId: conversation.id,
          role: 'user',
          content,
          createdAt: at,
          status: 'complete',
        };
        const messageRev = await deps.messages.put(message.id, message);
        const conversationRev = await deps.conversations.put(conversation.id, conversation);
        index.addMessage(conversation.id, message.id, content);
        upsertConversation(conversation, conversationRev);
        const messages = state.selectedId === conversation.id ? state.messages : [];
        const entry: RecordResult<Message> = {
          ok: true,
          id: message.id,
          rev: messageRev,
          updatedAt: at,
          value: message,
        };
        update({
          selectedId: conversation.id,
          messages: [...messages, entry],
          notice: NO_PROVIDER_NOTICE,
          error: undefined,
        });
        ok = true;
      }, 'Your message could not be saved. It is still in the box; try again.');
      return ok;
    },

    async rename(conversationId: string, title: string): Promise<void> {
      const current = state.conversations.find((c) => c.id === conversationId);
      const clean = title.trim();
      if (!current?.ok || !clean) return;
      await guarded(async () => {
        const next = { ...current.value, title: clean, updatedAt: now() };
        upsertConversation(next, await deps.conversations.put(conversationId, next));
      }, 'The conversation could not be renamed.');
    },

    /** Tombstones the conversation and all its messages. */
    async remove(conversationId: string): Promise<void> {
      await guarded(async () => {
        const messages = await deps.messages.list({
          kind: 'equals',
          index: 'conversationId',
          value: conversationId,
        });
        for (const m of messages) await deps.messages.delete(m.id);
        await deps.conversations.delete(conversationId);
        index.removeConversation(conversationId);
        const selected = state.selectedId === conversationId;
        update({
          conversations: state.conversations.filter((c) => c.id !== conversationId),
          ...(selected ? { selectedId: undefined, messages: [], notice: undefined } : {}),
        });
      }, 'The conversation could not be deleted.');
    },

    /** Forgets every decrypted value (on lock). */
    reset(): void {
      index.clear();
      update({
        loading: true,
        conversations: [],
        messages: [],
        selectedId: undefined,
        query: '',
        notice: undefined,
        error: undefined,
      });
    },
  };
}

export type ChatController = ReturnType<typeof createChatController>;
