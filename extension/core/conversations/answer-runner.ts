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
import {
  okEntry,
  type ChatControllerDeps,
  type ChatState,
  type PendingQuestion,
} from './chat-state';
import type { SearchIndex } from './search-index';
import { streamAnswer } from './stream-answer';
import type { StreamStore } from './stream-store';

export { okEntry } from './chat-state';

/** The question of a regenerate or an edit: already stored. */
const STORED: PendingQuestion = { saved: Promise.resolve(), sent: () => undefined };

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

  /** The answer; if its question cannot be stored, it is stopped and nothing of it kept. */
  async function answerOnce(conversation: Conversation, question: PendingQuestion): Promise<void> {
    const gen = generation;
    const controller = new AbortController();
    let lost = false;
    const settled = question.saved.then(
      () => undefined,
      () => {
        lost = true;
        controller.abort();
      },
    );
    // The conversation may have changed since the caller read it (untrusted, allowed tools).
    conversation = conversationOf(conversation.id) ?? conversation;
    const providers = ctx.deps.providers;
    if (!providers) {
      ctx.update({ notice: ctx.noProviderNotice });
      return;
    }
    const turns = toTurns(ctx.getState().messages);
    const lastUser = ctx.getState().messages.findLast((m) => m.ok && m.value.role === 'user');
    // Independent reads, at once: providers (re-read only when another page or sync changed
    // them), the defaults from Options, and the system prompt with memory.
    const [, defaults, firstPrompt] = await Promise.all([
      (providers.refresh?.() ?? providers.load?.())?.catch(() => undefined),
      ctx.deps.defaults?.().catch(() => ({})),
      answerSystem(ctx.deps, conversation, lastUser?.ok ? lastUser.value.content : ''),
    ]);
    let prompt = firstPrompt;
    if (gen !== generation || lost) return;
    const target = resolveTarget(
      optionsOf(conversation),
      providers,
      defaults ?? {},
      ctx.noProviderNotice,
    );
    if (!target.ok) {
      ctx.update({ notice: target.notice });
      return;
    }
    if (prompt.map !== conversation.redactions) {
      // Placeholders in the memory block must be restorable in the answer, as in messages;
      // if their map cannot be saved, this answer goes without memory. The conversation's
      // first write (with the message) must land first: never two writes of one record.
      question.sent();
      await settled;
      if (gen !== generation || lost) return;
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
    const streaming = streamAnswer(
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
    // The request is under way (the SDK reaches fetch within this task): now the question
    // is written, without delaying it.
    question.sent();
    const { text, usage, ending, toolCalls } = await streaming;
    untag?.();
    if (abort === controller) abort = undefined;
    // The answer is saved after the question it answers, never without it.
    await settled;
    // Locked meanwhile: the keys are gone and the view was reset; nothing to save or show.
    if (gen !== generation) return;
    if (lost) {
      ctx.stream.set(undefined);
      const { messages } = ctx.getState();
      ctx.update({ streamingId: undefined, messages: messages.filter((m) => m.id !== base.id) });
      return;
    }
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
  }

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

    /** Streams and saves an answer to the messages currently shown (see answerOnce). */
    async answer(conversation: Conversation, question: PendingQuestion = STORED): Promise<void> {
      try {
        await answerOnce(conversation, question);
      } finally {
        question.sent();
      }
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
