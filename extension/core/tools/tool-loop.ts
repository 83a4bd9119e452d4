/**
 * Runs the tool calls a model proposed: the gate's 'run' calls at once, the others when the
 * user clicks Run (optionally with edited arguments) or Deny. Every state change is saved on
 * the assistant message, so a reload shows the same card. Platform-free.
 */
import type { ToolCall } from '../chat/provider';
import type { Conversation, Message } from '../models';
import { canAllowForConversation, gateToolCall } from './tool-gate';
import { allSettled } from './tool-turns';
import type { ChatTool, StoredToolCall, ToolOutcome, ToolProgress } from './types';
import { hasUntrustedOutput, markUntrusted } from './untrusted-output';

/** Most model → tool → model rounds in a row before Nook stops and asks the user. */
export const MAX_TOOL_STEPS = 6;

/** Shown when the step cap stopped the loop. */
export const TOOL_STEP_NOTICE = `Nook stopped after ${MAX_TOOL_STEPS} tool steps in a row. Send a message to let it continue.`;

/** The user's answer on a waiting card. */
export type ToolDecision =
  | { kind: 'run'; args?: Record<string, unknown>; allowForConversation?: boolean }
  | { kind: 'deny' };

/** Why a decision was refused, in plain words. */
export class ToolCallError extends Error {
  readonly code: 'not-found' | 'not-pending' | 'bad-args';
  constructor(code: ToolCallError['code']) {
    super(TOOL_CALL_ERROR[code]);
    this.name = 'ToolCallError';
    this.code = code;
  }
}
const TOOL_CALL_ERROR: Record<ToolCallError['code'], string> = {
  'not-found': 'This tool call no longer exists.',
  'not-pending': 'This tool call was already answered.',
  'bad-args': 'The arguments must be a JSON object.',
};

/** What the loop needs from the chat controller. */
export interface ToolLoopHost {
  /** The tools offered in a conversation. */
  tools(conversationId: string): readonly ChatTool[];
  /** The saved message (current state) or undefined. */
  message(id: string): Message | undefined;
  conversation(id: string): Conversation | undefined;
  saveMessage(m: Message): Promise<void>;
  saveConversation(c: Conversation): Promise<void>;
  /** Live output of a running call (run_code's stdout), for its card. */
  onProgress?(messageId: string, callId: string, p: ToolProgress): void;
}

/**
 * Runs alive in this page. A call is stored as `running` before it starts, so after a reload
 * or a closed panel the stored state stays `running` with nothing behind it: the card then
 * shows it as interrupted ({@link isInterrupted}). Keyed by message and call (ids like
 * Gemini's synthetic `call-0` repeat across messages); proposals are held by object until
 * they start, so the card never flashes "Stopped" between proposal and start.
 */
const liveRuns = new Set<string>();
const proposedRuns = new WeakSet<StoredToolCall>();
const runKey = (messageId: string, callId: string) => `${messageId}\n${callId}`;

/** True when a stored `running` call has no live run in this page (its page was closed). */
export function isInterrupted(messageId: string, call: StoredToolCall): boolean {
  return (
    call.state.status === 'running' &&
    !proposedRuns.has(call) &&
    !liveRuns.has(runKey(messageId, call.id))
  );
}

/** Shown on the card of an interrupted call. */
export const INTERRUPTED_NOTICE = 'Stopped: the panel was closed while it ran.';

/** Turns the model's proposals into stored calls; 'run' ones start as `running`. */
export function proposeCalls(
  calls: readonly ToolCall[],
  conversation: Pick<Conversation, 'untrusted' | 'toolOutput' | 'allowedTools'>,
  tools: readonly ChatTool[],
): StoredToolCall[] {
  return calls.map((call) => {
    const tool = tools.find((t) => t.spec.name === call.name);
    switch (gateToolCall(tool, conversation)) {
      case 'run': {
        const stored: StoredToolCall = { ...call, state: { status: 'running' } };
        proposedRuns.add(stored);
        return stored;
      }
      case 'ask':
        return { ...call, state: { status: 'pending' } };
      case 'unknown':
        return {
          ...call,
          state: {
            status: 'done',
            outcome: { content: `There is no tool named "${call.name}".`, isError: true },
          },
        };
    }
  });
}

/** Runs one call; a throwing tool becomes an error outcome the model and the card see. */
export async function runOne(
  tool: ChatTool,
  args: Record<string, unknown>,
  ctx: Parameters<ChatTool['run']>[1],
): Promise<ToolOutcome> {
  try {
    return await tool.run(args, ctx);
  } catch (e) {
    if (ctx.signal.aborted) return { content: 'The tool call was stopped.', isError: true };
    const name = e instanceof Error ? e.name : 'Error';
    return { content: `The tool failed (${name}).`, isError: true };
  }
}

/** Creates the loop over a host. `signal` is the Stop button of the answer in flight. */
export function createToolLoop(host: ToolLoopHost) {
  const setCall = async (messageId: string, callId: string, patch: Partial<StoredToolCall>) => {
    const m = host.message(messageId);
    if (!m) throw new ToolCallError('not-found');
    const toolCalls = (m.toolCalls ?? []).map((c) => (c.id === callId ? { ...c, ...patch } : c));
    const next = { ...m, toolCalls };
    await host.saveMessage(next);
    return next;
  };

  async function execute(m: Message, call: StoredToolCall, signal: AbortSignal) {
    const key = runKey(m.id, call.id);
    liveRuns.add(key);
    try {
      const tool = host.tools(m.conversationId).find((t) => t.spec.name === call.name);
      const outcome: ToolOutcome = tool
        ? await runOne(tool, call.arguments, {
            conversationId: m.conversationId,
            messageId: m.id,
            signal,
            onProgress: (p) => host.onProgress?.(m.id, call.id, p),
          })
        : { content: `There is no tool named "${call.name}".`, isError: true };
      if (!tool || !hasUntrustedOutput(tool)) {
        return await setCall(m.id, call.id, { state: { status: 'done', outcome } });
      }
      // Output from outside Nook: the conversation is marked before the model sees it (if
      // that cannot be saved, the call fails rather than continue with the gate open).
      const conversation = host.conversation(m.conversationId);
      if (conversation && !conversation.toolOutput) {
        await host.saveConversation({ ...conversation, toolOutput: true });
      }
      return await setCall(m.id, call.id, {
        state: { status: 'done', outcome: markUntrusted(outcome) },
      });
    } finally {
      liveRuns.delete(key);
    }
  }

  return {
    /** Runs the calls the gate let through (`running`); returns whether all are settled. */
    async runApproved(messageId: string, signal: AbortSignal): Promise<boolean> {
      let m = host.message(messageId);
      for (const call of m?.toolCalls ?? []) {
        // An interrupted call (its page closed mid-run) runs again only on the user's click.
        if (!m || call.state.status !== 'running' || isInterrupted(m.id, call)) continue;
        m = await execute(m, call, signal);
      }
      return allSettled(m?.toolCalls);
    },

    /**
     * Applies the user's click on a waiting card, or "Run again" on an interrupted one;
     * returns whether every call of that message is now settled (the caller then lets the
     * model continue).
     * @throws ToolCallError when the call is gone, already answered or the args are bad.
     */
    async decide(
      messageId: string,
      callId: string,
      decision: ToolDecision,
      signal: AbortSignal,
    ): Promise<boolean> {
      const m = host.message(messageId);
      const call = m?.toolCalls?.find((c) => c.id === callId);
      if (!m || !call) throw new ToolCallError('not-found');
      const again = decision.kind === 'run' && isInterrupted(messageId, call);
      if (call.state.status !== 'pending' && !again) throw new ToolCallError('not-pending');
      if (decision.kind === 'deny') {
        const next = await setCall(messageId, callId, { state: { status: 'denied' } });
        return allSettled(next.toolCalls);
      }
      const args = decision.args ?? call.arguments;
      if (typeof args !== 'object' || args === null || Array.isArray(args))
        throw new ToolCallError('bad-args');
      const conversation = host.conversation(m.conversationId);
      if (decision.allowForConversation && conversation && canAllowForConversation(conversation)) {
        const allowed = new Set(conversation.allowedTools ?? []);
        allowed.add(call.name);
        await host.saveConversation({ ...conversation, allowedTools: [...allowed] });
      }
      // Live before it is shown as running, so the card never reads it as interrupted.
      const key = runKey(messageId, callId);
      liveRuns.add(key);
      const running = await setCall(messageId, callId, {
        arguments: args,
        state: { status: 'running' },
      }).catch((e: unknown) => {
        liveRuns.delete(key);
        throw e;
      });
      const target = running.toolCalls?.find((c) => c.id === callId);
      if (!target) throw new ToolCallError('not-found');
      const next = await execute(running, target, signal);
      return allSettled(next.toolCalls);
    },
  };
}

export type ToolLoop = ReturnType<typeof createToolLoop>;
