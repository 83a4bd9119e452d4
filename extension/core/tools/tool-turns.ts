/**
 * How stored messages become the turns the model is sent: `sent` (placeholders, quoted
 * page block) rather than what the user sees, and each tool call followed by its result.
 */
import type { ChatTurn } from '../chat/provider';
import type { Message } from '../models';
import type { RecordResult } from '../records/record-repo-port';
import type { StoredToolCall } from './types';
import { quotedOutcome } from './untrusted-output';

/** The result text the model gets for a call, whatever state it is in. */
export function toolResultText(call: StoredToolCall): string {
  switch (call.state.status) {
    case 'done':
      return quotedOutcome(call, call.state.outcome);
    case 'denied':
      return 'The user denied this tool call. Do not try it again unless the user asks.';
    case 'pending':
      return 'Not run: the user has not approved this tool call.';
    case 'running':
      // Only an interrupted call reaches the model as `running` (a live one is awaited).
      return 'Interrupted: the tool call did not finish (Nook was closed while it ran); its effects are unknown.';
  }
}

/** User, assistant (with their tool calls) and tool-result turns, oldest first. */
export function messagesToTurns(messages: readonly RecordResult<Message>[]): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (const m of messages) {
    if (!m.ok) continue;
    const { role, toolCalls } = m.value;
    const content = m.value.sent ?? m.value.content;
    if (role === 'user' && content !== '') turns.push({ role, content });
    if (role !== 'assistant') continue;
    const calls = toolCalls ?? [];
    if (content === '' && calls.length === 0) continue;
    turns.push({
      role,
      content,
      ...(calls.length
        ? {
            toolCalls: calls.map(({ id, name, arguments: args }) => ({
              id,
              name,
              arguments: args,
            })),
          }
        : {}),
    });
    for (const call of calls) {
      turns.push({
        role: 'tool',
        content: toolResultText(call),
        toolCallId: call.id,
        toolName: call.name,
      });
    }
  }
  return turns;
}

/** True when every call of the message is done or denied (the model may continue). */
export function allSettled(calls: readonly StoredToolCall[] | undefined): boolean {
  return (calls ?? []).every((c) => c.state.status === 'done' || c.state.status === 'denied');
}

/** Assistant messages with tool calls at the end of the list: the steps taken in a row. */
export function toolStepsInARow(messages: readonly RecordResult<Message>[]): number {
  let steps = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m?.ok || m.value.role !== 'assistant' || !m.value.toolCalls?.length) break;
    steps += 1;
  }
  return steps;
}
