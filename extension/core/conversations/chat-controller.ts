import type { ProviderAdapter } from '../chat/provider';
import type { Conversation, Message, UsageTotal } from '../models';
import type { RecordRepo, RecordResult } from '../records/record-repo-port';
import {
  optionsOf,
  type ChatDefaults,
  type ConversationOptions,
  type ProviderLookup,
} from './answer-parts';
import { createAnswerRunner, okEntry } from './answer-runner';
import { createSearchIndex } from './search-index';
import { createStreamStore } from './stream-store';
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
  /** The assistant message being streamed (its text lives in `chat.stream`). */
  streamingId: string | undefined;
  /** Provider, model and system prompt of a conversation not saved yet. */
  draft: ConversationOptions;
}

export interface ChatControllerDeps {
  conversations: RecordRepo<Conversation>;
  messages: RecordRepo<Message>;
  now?: () => number;
  newId?: () => string;
  /** Saved providers and their adapters; without it messages are only saved (shell mode). */
  providers?: ProviderLookup & { adapterFor(id: string): ProviderAdapter };
  /** Defaults from Options → Providers, read before each answer. */
  defaults?: () => Promise<ChatDefaults>;
  /** Per provider/model/day token totals. */
  usage?: RecordRepo<UsageTotal>;
}

const byNewest = (a: RecordResult<Conversation>, b: RecordResult<Conversation>) =>
  (b.ok ? b.value.updatedAt : b.updatedAt) - (a.ok ? a.value.updatedAt : a.updatedAt);
const byOldest = (a: RecordResult<Message>, b: RecordResult<Message>) =>
  (a.ok ? a.value.createdAt : a.updatedAt) - (b.ok ? b.value.createdAt : b.updatedAt);

/**
 * The conversation engine: list, search, rename, delete, saving the user's messages and
 * streaming answers from the chosen provider (stop, regenerate, retry, edit-and-resend).
 * Without `providers` it is the provider-less shell that only saves messages.
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
    streamingId: undefined,
    draft: {},
  };
  const stream = createStreamStore();
  let running: Promise<void> = Promise.resolve();

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

  const current = (): Conversation | undefined => {
    const c = state.conversations.find((r) => r.id === state.selectedId);
    return c?.ok ? c.value : undefined;
  };

  const runner = createAnswerRunner({
    deps,
    now,
    newId,
    index,
    stream,
    getState: () => state,
    update,
    noProviderNotice: NO_PROVIDER_NOTICE,
  });
  const answer = runner.answer;

  /** Tombstones the given messages and removes them from view. */
  async function dropMessages(ids: readonly string[]) {
    for (const id of ids) await deps.messages.delete(id);
    const gone = new Set(ids);
    update({ messages: state.messages.filter((m) => !gone.has(m.id)) });
  }

  return {
    /** The answer in flight; subscribe to re-render only the streaming message. */
    stream,
    /** Resolves when the answer in flight (if any) has been saved. */
    whenIdle: (): Promise<void> => running,
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
      if (state.streamingId) runner.stop();
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
      if (!content || state.streamingId) return false;
      let ok = false;
      let saved: Conversation | undefined;
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
            ...state.draft,
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
          notice: undefined,
          error: undefined,
          draft: {},
        });
        ok = true;
        saved = conversation;
      }, 'Your message could not be saved. It is still in the box; try again.');
      // The answer streams on after this resolves, so the composer can clear at once.
      if (saved) running = answer(saved);
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
      runner.cancel();
      stream.set(undefined);
      index.clear();
      update({
        loading: true,
        conversations: [],
        messages: [],
        selectedId: undefined,
        query: '',
        notice: undefined,
        error: undefined,
        streamingId: undefined,
        draft: {},
      });
    },

    /** Stop button / Esc: ends the stream; the partial answer is kept as interrupted. */
    stop(): void {
      runner.stop();
    },

    /** The open conversation's provider, model and system prompt (or the draft's). */
    options(): ConversationOptions {
      const c = current();
      return c ? optionsOf(c) : state.draft;
    },

    /** Changes provider / model / system prompt / persona of the open conversation. */
    async setOptions(patch: ConversationOptions): Promise<void> {
      const c = current();
      if (!c) {
        update({ draft: { ...state.draft, ...patch } });
        return;
      }
      await guarded(async () => {
        const next = { ...c, ...patch };
        upsertConversation(next, await deps.conversations.put(c.id, next));
      }, 'The conversation settings could not be saved.');
    },

    /** Replaces the last answer with a new one (also the Retry of a failed answer). */
    async regenerate(): Promise<void> {
      const c = current();
      const last = state.messages.at(-1);
      if (!c || !last || state.streamingId) return;
      await guarded(async () => {
        if (!last.ok || last.value.role === 'assistant') await dropMessages([last.id]);
        running = answer(c);
        await running;
      }, 'The answer could not be regenerated. Try again.');
    },

    /** Edit-and-resend: replaces a user message and drops every message after it. */
    async editAndResend(messageId: string, text: string): Promise<boolean> {
      const c = current();
      const content = text.trim();
      const at = state.messages.findIndex((m) => m.id === messageId);
      const target = state.messages[at];
      if (!c || !content || !target?.ok || target.value.role !== 'user' || state.streamingId)
        return false;
      let ok = false;
      await guarded(async () => {
        const edited: Message = { ...target.value, content };
        const rev = await deps.messages.put(messageId, edited);
        index.addMessage(c.id, messageId, content);
        await dropMessages(state.messages.slice(at + 1).map((m) => m.id));
        update({
          messages: state.messages.map((m) => (m.id === messageId ? okEntry(edited, rev) : m)),
        });
        ok = true;
      }, 'Your edit could not be saved. Try again.');
      if (ok) running = answer(c);
      return ok;
    },
  };
}

export type ChatController = ReturnType<typeof createChatController>;
