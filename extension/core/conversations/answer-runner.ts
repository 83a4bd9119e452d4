/**
 * Streams one answer into a conversation and saves it, whatever happens: a failure keeps
 * the partial text with status `interrupted` / `error` and a plain-words reason, so the
 * user sees what arrived and can press Retry. Used by the chat controller only.
 */
import { recordUsage } from '../chat/usage-ledger';
import type { Conversation, Message } from '../models';
import { createStreamRestorer } from '../redaction/restore';
import {
  createToolLoop,
  MAX_TOOL_STEPS,
  proposeCalls,
  TOOL_STEP_NOTICE,
  type ToolDecision,
} from '../tools/tool-loop';
import { toolStepsInARow } from '../tools/tool-turns';
import type { RecordResult } from '../records/record-repo-port';
import { optionsOf, resolveTarget, toTurns } from './answer-parts';
import { answerSystem, MEMORY_UNREADABLE_NOTICE, mergeRedactions } from './answer-system';
import { okEntry, type ChatControllerDeps, type ChatState } from './chat-state';
import type { SearchIndex } from './search-index';
import { streamAnswer } from './stream-answer';
import type { StreamStore } from './stream-store';

export { okEntry } from './chat-state';

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
  /** Saves a conversation change (e.g. "allow for this conversation") and shows it. */
  saveConversation: (c: Conversation) => Promise<void>;
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
  const conversationOf = (id: string) => {
    const c = ctx.getState().conversations.find((r) => r.id === id);
    return c?.ok ? c.value : undefined;
  };
  const tools = (conversationId?: string) =>
    ctx.deps.tools?.(conversationId ? conversationOf(conversationId) : undefined) ?? [];
  const toolLoop = createToolLoop({
    tools,
    message: (id) => {
      const m = ctx.getState().messages.find((r) => r.id === id);
      return m?.ok ? m.value : undefined;
    },
    conversation: conversationOf,
    async saveMessage(m) {
      const rev = await ctx.deps.messages.put(m.id, m);
      replaceMessage(m.conversationId, okEntry(m, rev));
    },
    saveConversation: ctx.saveConversation,
  });
  /** The Stop button of tool runs started by a click (no answer is streaming then). */
  let toolAbort: AbortController | undefined;

  const runner = {
    /** Stop button / Esc: the stream ends as interrupted and the partial text is saved. */
    stop(): void {
      abort?.abort();
      toolAbort?.abort();
    },
    /** On lock: aborts, and the ending answer neither saves nor shows anything. */
    cancel(): void {
      generation += 1;
      abort?.abort();
      toolAbort?.abort();
    },

    /** Streams and saves an answer to the messages currently shown. */
    async answer(conversation: Conversation): Promise<void> {
      const gen = generation;
      // The conversation may have changed since the caller read it (untrusted, allowed tools).
      conversation = conversationOf(conversation.id) ?? conversation;
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
      const lastUser = ctx.getState().messages.findLast((m) => m.ok && m.value.role === 'user');
      let prompt = await answerSystem(
        ctx.deps,
        conversation,
        lastUser?.ok ? lastUser.value.content : '',
      );
      if (gen !== generation) return;
      if (prompt.map !== conversation.redactions) {
        // Placeholders in the memory block must be restorable in the answer, as in messages;
        // if their map cannot be saved, this answer goes without memory.
        const next = { ...conversation, redactions: prompt.map };
        try {
          await ctx.saveConversation(next);
          conversation = next;
        } catch {
          prompt = await answerSystem({}, conversation, '');
          prompt = { ...prompt, notice: MEMORY_UNREADABLE_NOTICE };
        }
        if (gen !== generation) return;
      }
      const { system } = prompt;
      const specs = tools(conversation.id).map((t) => t.spec);
      // Placeholders in the answer are shown with their originals, restored as they stream.
      const map = conversation.redactions;
      const restorer = map?.entries.length ? createStreamRestorer(map) : undefined;
      let shown = '';
      let rawSeen = 0;
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
      const redactions = mergeRedactions(
        lastUser?.ok ? lastUser.value.redactions : undefined,
        prompt.redactions,
      );
      const untag = ctx.deps.ledger?.tag({
        conversationId: conversation.id,
        ...(redactions.length ? { redactions } : {}),
      });
      const { text, usage, ending, toolCalls } = await streamAnswer(
        () => providers.adapterFor(target.providerId),
        {
          model: target.model,
          system,
          turns,
          ...(specs.length ? { tools: specs } : {}),
          signal: controller.signal,
        },
        (text, reasoning) => {
          if (restorer) {
            shown += restorer.push(text.slice(rawSeen));
            rawSeen = text.length;
          }
          ctx.stream.set({ messageId: base.id, text: restorer ? shown : text, reasoning });
        },
      );
      untag?.();
      if (abort === controller) abort = undefined;
      // Locked meanwhile: the keys are gone and the view was reset; nothing to save or show.
      if (gen !== generation) return;
      const restored = restorer
        ? shown + restorer.push(text.slice(rawSeen)) + restorer.flush()
        : text;
      // A stopped or failed answer proposes nothing: half a plan must not run.
      const calls =
        ending.status === 'complete'
          ? proposeCalls(toolCalls, conversation, tools(conversation.id))
          : [];
      const final: Message = {
        ...base,
        content: restored,
        ...(restored !== text ? { sent: text } : {}),
        ...ending,
        ...(usage ? { usage } : {}),
        ...(calls.length ? { toolCalls: calls } : {}),
      };
      try {
        const rev = await ctx.deps.messages.put(final.id, final);
        ctx.index.addMessage(conversation.id, final.id, restored);
        replaceMessage(conversation.id, okEntry(final, rev));
      } catch {
        replaceMessage(conversation.id, okEntry(final, 0));
        ctx.update({ error: 'The answer could not be saved; it disappears when you close Nook.' });
      }
      ctx.stream.set(undefined);
      ctx.update({ streamingId: undefined, ...(prompt.notice ? { notice: prompt.notice } : {}) });
      if (usage && ctx.deps.usage) {
        // Usage totals are bookkeeping: a failure here must not disturb the chat.
        await recordUsage(ctx.deps.usage, {
          providerId: target.providerId,
          model: target.model,
          usage,
          at,
        }).catch(() => undefined);
      }
      if (calls.length && ending.status === 'complete') await continueAfterTools(final.id);
    },

    /** The user's click on a waiting tool card; the model continues once all are answered. */
    async decide(messageId: string, callId: string, decision: ToolDecision): Promise<void> {
      const controller = new AbortController();
      toolAbort = controller;
      const settled = await toolLoop.decide(messageId, callId, decision, controller.signal);
      if (toolAbort === controller) toolAbort = undefined;
      if (settled) await continueAfterTools(messageId);
    },
  };

  /** Runs the gate-approved calls, then lets the model answer with the results. */
  async function continueAfterTools(messageId: string): Promise<void> {
    const gen = generation;
    const controller = new AbortController();
    toolAbort = controller;
    const settled = await toolLoop.runApproved(messageId, controller.signal);
    if (toolAbort === controller) toolAbort = undefined;
    const messages = ctx.getState().messages;
    const message = messages.find((m) => m.id === messageId);
    // Continue only from the newest message, when nothing was stopped or locked meanwhile.
    if (!settled || gen !== generation || controller.signal.aborted) return;
    if (messages.at(-1)?.id !== messageId || !message?.ok) return;
    if (toolStepsInARow(messages) >= MAX_TOOL_STEPS) {
      ctx.update({ notice: TOOL_STEP_NOTICE });
      return;
    }
    const conversation = conversationOf(message.value.conversationId);
    if (conversation) await runner.answer(conversation);
  }
  return runner;
}
