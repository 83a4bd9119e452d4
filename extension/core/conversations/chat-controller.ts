import type { PageAttachment } from '../models';
import type { SendExtras } from '../redaction/outbound';
import type { ToolDecision } from '../tools/tool-loop';
import { optionsOf, type ConversationOptions } from './answer-parts';
import { createAnswerRunner } from './answer-runner';
import {
  byNewest,
  emptyChatState,
  NO_PROVIDER_NOTICE,
  okEntry,
  type ChatControllerDeps,
  type ChatState,
} from './chat-state';
import { composeEdit } from './outbound-message';
import { createChatStore } from './chat-store';
import { createSearchIndex } from './search-index';
import { createStreamStore } from './stream-store';
import { sendMessage, type SendContext } from './send-message';

export { NO_PROVIDER_NOTICE } from './chat-state';
export type { ChatControllerDeps, ChatState } from './chat-state';

/**
 * The conversation engine: list, search, rename, delete, saving the user's messages and
 * streaming answers from the chosen provider (stop, regenerate, retry, edit-and-resend).
 * Without `providers` it is the provider-less shell that only saves messages.
 */
export function createChatController(deps: ChatControllerDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  const index = createSearchIndex();
  const store = createChatStore(deps, index);
  const { update, guarded, upsertConversation, current, dropMessages } = store;
  /** The current state (re-read after every await: actions interleave). */
  const state = store.get;
  const stream = createStreamStore();
  let running: Promise<void> = Promise.resolve();

  const runner = createAnswerRunner({
    deps,
    now,
    newId,
    index,
    stream,
    getState: store.get,
    update,
    noProviderNotice: NO_PROVIDER_NOTICE,
    async saveConversation(c) {
      upsertConversation(c, await deps.conversations.put(c.id, c));
    },
  });
  const answer = runner.answer;
  let locks = 0;
  const sendContext: SendContext = {
    deps,
    store,
    index,
    now,
    newId,
    locks: () => locks,
    answer(conversation, question) {
      // The answer streams on after send() resolves, so the composer can clear at once.
      running = answer(conversation, question);
    },
  };

  return {
    /** The answer in flight; subscribe to re-render only the streaming message. */
    stream,
    /** Resolves when the answer in flight (if any) has been saved. */
    whenIdle: (): Promise<void> => running,
    getState: (): ChatState => state(),
    subscribe: store.subscribe,

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
        store.warmUp(messages);
        update({ loading: false, conversations: conversations.sort(byNewest) });
      }, 'Your conversations could not be loaded. Lock and unlock Nook to try again.');
      if (state().loading) update({ loading: false });
    },

    async select(conversationId: string | undefined): Promise<void> {
      if (state().streamingId) runner.stop();
      update({ selectedId: conversationId, messages: [], notice: undefined, error: undefined });
      if (conversationId)
        await guarded(
          () => store.loadMessages(conversationId),
          'This conversation could not be opened.',
        );
    },

    setQuery(query: string): void {
      update({ query });
    },

    /**
     * Saves the user's message (creating a conversation titled from it if needed) and
     * starts its answer, which goes out while the message is being written. Resolves true
     * once the message is stored; false (text kept in the composer) if it was not.
     */
    send(text: string, extras: SendExtras = {}): Promise<boolean> {
      return sendMessage(sendContext, text, extras);
    },

    async rename(conversationId: string, title: string): Promise<void> {
      const current = state().conversations.find((c) => c.id === conversationId);
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
        const selected = state().selectedId === conversationId;
        update({
          conversations: state().conversations.filter((c) => c.id !== conversationId),
          ...(selected ? { selectedId: undefined, messages: [], notice: undefined } : {}),
        });
      }, 'The conversation could not be deleted.');
    },

    /**
     * Starts a new conversation with page text or a selection waiting in the composer and
     * `prompt` as its editable text (context menu); `notice` says what could not be read.
     * Nothing is sent until the user sends.
     */
    async attach(
      attachment: PageAttachment | undefined,
      prompt?: string,
      notice?: string,
    ): Promise<void> {
      if (attachment) await this.select(undefined);
      update({
        attachment,
        ...(prompt !== undefined
          ? { prefill: { text: prompt, seq: (state().prefill?.seq ?? 0) + 1 } }
          : {}),
        ...(notice ? { notice } : {}),
      });
    },

    /** Run / Edit / Deny on a waiting tool card. */
    async decideToolCall(messageId: string, callId: string, decision: ToolDecision): Promise<void> {
      if (state().streamingId) return;
      try {
        running = runner.decide(messageId, callId, decision);
        await running;
      } catch (e) {
        update({
          error:
            e instanceof Error && e.name === 'ToolCallError' ? e.message : 'The tool call failed.',
        });
      }
    },

    /** Forgets every decrypted value (on lock). */
    reset(): void {
      locks += 1;
      runner.cancel();
      stream.set(undefined);
      index.clear();
      store.forget();
      update(emptyChatState());
    },

    /** Stop button / Esc: ends the stream; the partial answer is kept as interrupted. */
    stop(): void {
      runner.stop();
    },

    /** The open conversation's provider, model and system prompt (or the draft's). */
    options(): ConversationOptions {
      const c = current();
      return c ? optionsOf(c) : state().draft;
    },

    /** Changes provider / model / system prompt / persona of the open conversation. */
    async setOptions(patch: ConversationOptions): Promise<void> {
      const c = current();
      if (!c) {
        update({ draft: { ...state().draft, ...patch } });
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
      const last = state().messages.at(-1);
      if (!c || !last || state().streamingId) return;
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
      const at = state().messages.findIndex((m) => m.id === messageId);
      const target = state().messages[at];
      if (!c || !content || !target?.ok || target.value.role !== 'user' || state().streamingId)
        return false;
      let ok = false;
      await guarded(async () => {
        const { edited, map } = composeEdit(deps.redactor?.(), target.value, content, c);
        if (map)
          upsertConversation(
            { ...c, redactions: map },
            await deps.conversations.put(c.id, { ...c, redactions: map }),
          );
        const rev = await deps.messages.put(messageId, edited);
        index.addMessage(c.id, messageId, content);
        await dropMessages(
          store
            .get()
            .messages.slice(at + 1)
            .map((m) => m.id),
        );
        update({
          messages: store
            .get()
            .messages.map((m) => (m.id === messageId ? okEntry(edited, rev) : m)),
        });
        ok = true;
      }, 'Your edit could not be saved. Try again.');
      if (ok) running = answer(c);
      return ok;
    },
  };
}

export type ChatController = ReturnType<typeof createChatController>;
