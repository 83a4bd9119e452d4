/**
 * The approval gate: may a proposed tool call run now, or must it wait for the user's
 * click? Untrusted page content in the conversation always means a click, whatever the
 * tool's policy or an earlier "allow for this conversation". Output from the sandbox in the
 * conversation means a click for tools that would otherwise run by themselves (a hostile
 * file the user uploaded must not plant a memory), but keeps the user's explicit "allow
 * for this conversation": that choice was made knowing the code's output comes back.
 */
import type { Conversation } from '../models';
import type { ChatTool } from './types';

/** The gate's answer for one proposed call. */
export type GateDecision =
  /** Run at once (an 'auto' tool, or one the user allowed for this trusted conversation). */
  | 'run'
  /** Show the card with Run / Edit / Deny and wait. */
  | 'ask'
  /** The model named a tool that is not offered: answer it with an error, never run. */
  | 'unknown';

/** Decides how a call to `tool` is approved in `conversation`. */
export function gateToolCall(
  tool: ChatTool | undefined,
  conversation: Pick<Conversation, 'untrusted' | 'toolOutput' | 'allowedTools'>,
): GateDecision {
  if (!tool) return 'unknown';
  if (conversation.untrusted) return 'ask';
  if (tool.approval === 'auto') return conversation.toolOutput ? 'ask' : 'run';
  return conversation.allowedTools?.includes(tool.spec.name) ? 'run' : 'ask';
}

/** Whether the card may offer "allow for this conversation" (never after untrusted content). */
export function canAllowForConversation(conversation: Pick<Conversation, 'untrusted'>): boolean {
  return !conversation.untrusted;
}
