/**
 * Streams one answer into a conversation and saves it, whatever happens: a failure keeps
 * the partial text with status `interrupted` / `error` and a plain-words reason, so the
 * user sees what arrived and can press Retry. Used by the chat controller only.
 */
import { recordUsage } from '../chat/usage-ledger';
import type { Conversation, Message } from '../models';
import type { RecordResult } from '../records/record-repo-port';
import { optionsOf, resolveTarget, toTurns } from './answer-parts';
import type { ChatControllerDeps, ChatState } from './chat-controller';
import type { SearchIndex } from './search-index';
import { streamAnswer } from './stream-answer';
import type { StreamStore } from './stream-store';

/** A saved (or about to be saved) message as a list entry. */
export const okEntry = (m: Message, rev: number): RecordResult<Message> => ({
  ok: true,
  id: m.id,
  rev,
  updatedAt: m.createdAt,
  value: m,
});

/** What the runner shares with the controller. */
export interface AnswerContext {
  deps: ChatControllerDeps;
  now: () => number;
  newId: () => string;
  index: SearchIndex;
  stream: StreamStore;
  getState: () => ChatState;
  update: (patch: Partial<ChatState>) => void;
  noProviderNotice: string;
}

/** Creates the answer runner of one chat controller. */
export function createAnswerRunner(ctx: AnswerContext) {
  let abort: AbortController | undefined;
  /** Bumped by cancel() (lock), so an answer ending afterwards touches nothing. */
  let generation = 0;

  const replaceMessage = (conversationId: string, entry: RecordResult<Message>) => {
    const state = ctx.getState();
    if (state.selectedId !== conversationId) return;
    ctx.update({ messages: state.messages.map((m) => (m.id === entry.id ? entry : m)) });
  };

  return {
    /** Stop button / Esc: the stream ends as interrupted and the partial text is saved. */
    stop(): void {
      abort?.abort();
    },
    /** On lock: aborts, and the ending answer neither saves nor shows anything. */
    cancel(): void {
      generation += 1;
      abort?.abort();
    },

    /** Streams and saves an answer to the messages currently shown. */
    async answer(conversation: Conversation): Promise<void> {
      const gen = generation;
      const providers = ctx.deps.providers;
      if (!providers) {
        ctx.update({ notice: ctx.noProviderNotice });
        return;
      }
      // Options may have changed providers or defaults in another page since the last load.
      await providers.load?.().catch(() => undefined);
      const defaults = (await ctx.deps.defaults?.().catch(() => ({}))) ?? {};
      const target = resolveTarget(
        optionsOf(conversation),
        providers,
        defaults,
        ctx.noProviderNotice,
      );
      if (gen !== generation) return;
      if (!target.ok) {
        ctx.update({ notice: target.notice });
        return;
      }
      const turns = toTurns(ctx.getState().messages);
      const at = ctx.now();
      const base: Message = {
        id: ctx.newId(),
        conversationId: conversation.id,
        role: 'assistant',
        content: '',
        createdAt: at,
        model: target.model,
        providerId: target.providerId,
      };
      const controller = new AbortController();
      abort = controller;
      ctx.stream.set({ messageId: base.id, text: '', reasoning: '' });
      ctx.update({
        messages: [...ctx.getState().messages, okEntry(base, 0)],
        streamingId: base.id,
        notice: undefined,
        error: undefined,
      });
      const { text, usage, ending } = await streamAnswer(
        () => providers.adapterFor(target.providerId),
        {
          model: target.model,
          system: conversation.systemPrompt?.trim() || undefined,
          turns,
          signal: controller.signal,
        },
        (text, reasoning) => ctx.stream.set({ messageId: base.id, text, reasoning }),
      );
      if (abort === controller) abort = undefined;
      // Locked meanwhile: the keys are gone and the view was reset; nothing to save or show.
      if (gen !== generation) return;
      const final: Message = { ...base, content: text, ...ending, ...(usage ? { usage } : {}) };
      try {
        const rev = await ctx.deps.messages.put(final.id, final);
        ctx.index.addMessage(conversation.id, final.id, text);
        replaceMessage(conversation.id, okEntry(final, rev));
      } catch {
        replaceMessage(conversation.id, okEntry(final, 0));
        ctx.update({ error: 'The answer could not be saved; it disappears when you close Nook.' });
      }
      ctx.stream.set(undefined);
      ctx.update({ streamingId: undefined });
      if (usage && ctx.deps.usage) {
        // Usage totals are bookkeeping: a failure here must not disturb the chat.
        await recordUsage(ctx.deps.usage, {
          providerId: target.providerId,
          model: target.model,
          usage,
          at,
        }).catch(() => undefined);
      }
    },
  };
}
