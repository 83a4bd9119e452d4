import type { ToolCall, ToolSpec } from '../chat/provider';

/**
 * The contract between the chat engine and the tools the model may call (save_memory,
 * run_code, …). The engine (core/tools/tool-gate.ts, answer-runner) offers every enabled
 * tool's `spec` to the provider, and when the model proposes a call it asks the gate
 * whether the call may run now or must wait for the user's click.
 */

/** How a tool is approved. */
export type ToolApproval =
  /** Runs at once and shows an undoable notice (save_memory), unless untrusted content is present. */
  | 'auto'
  /** Always shows a card with Run / Edit / Deny; "allow for this conversation" may lift it (run_code). */
  | 'ask';

/** Streamed progress of a running tool (e.g. run_code's stdout), shown live on its card. */
export interface ToolProgress {
  stream: 'stdout' | 'stderr' | 'status';
  data: string;
}

/** What a tool run needs from the engine. */
export interface ToolRunContext {
  conversationId: string;
  /** The assistant message that proposed the call. */
  messageId: string;
  signal: AbortSignal;
  onProgress?: (p: ToolProgress) => void;
}

/** What a tool run produced. */
export interface ToolOutcome {
  /** Sent back to the model as the tool result (plain text or JSON text). */
  content: string;
  /** True when the tool failed; `content` then says why, in plain words. */
  isError?: boolean;
  /**
   * Tool-specific data for its card in the chat (e.g. run_code's exit status and the ids of
   * images it produced, save_memory's entry id for Undo). JSON-serialisable; stored encrypted.
   */
  display?: Record<string, unknown>;
  /**
   * Set by the tool loop when the output is untrusted (see `ChatTool.untrustedOutput`): the
   * boundary token of the quoted block the model gets, fixed so resends send the same bytes.
   */
  untrustedBoundary?: string;
}

/** A tool the model may call. */
export interface ChatTool {
  spec: ToolSpec;
  approval: ToolApproval;
  /**
   * Whether the output is data from outside Nook (a program's stdout, files' contents) that
   * may carry instructions. Such output reaches the model as a quoted untrusted block (like
   * page text) and marks the conversation untrusted, so later calls wait for a click.
   * Default: true for 'ask' tools (they act outside Nook, e.g. run_code), false for 'auto'
   * ones (save_memory answers with Nook's own confirmation).
   */
  untrustedOutput?: boolean;
  run(args: Record<string, unknown>, ctx: ToolRunContext): Promise<ToolOutcome>;
}

/** Where a proposed call stands; kept on the assistant message so reloads show it. */
export type ToolCallState =
  | { status: 'pending' }
  | { status: 'running' }
  | { status: 'done'; outcome: ToolOutcome }
  | { status: 'denied' };

/** A proposed call and its state, as stored on the assistant message (`Message.toolCalls`). */
export interface StoredToolCall extends ToolCall {
  state: ToolCallState;
}
