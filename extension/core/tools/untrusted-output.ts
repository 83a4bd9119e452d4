/**
 * Tool output from outside Nook (run_code's stdout and stderr) reaches the model the way page
 * text does: as a quoted untrusted block with a boundary token the output cannot contain, and
 * the conversation is marked `toolOutput` from then on: tools that would run by themselves
 * need a click (core/tools/tool-gate.ts), the user's "allow for this conversation" stands.
 */
import { UNTRUSTED_SOURCES, wrapUntrusted } from '../page/untrusted';
import type { ChatTool, StoredToolCall, ToolOutcome } from './types';

/** Whether a tool's output is untrusted data (default: 'ask' tools, see `ChatTool`). */
export function hasUntrustedOutput(tool: Pick<ChatTool, 'approval' | 'untrustedOutput'>): boolean {
  return tool.untrustedOutput ?? tool.approval === 'ask';
}

const randomToken = (): string => {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
};

/**
 * Marks an outcome as untrusted: picks the boundary its block will carry (absent from the
 * output), kept on the stored outcome so every resend quotes it with the same bytes.
 */
export function markUntrusted(
  outcome: ToolOutcome,
  token: () => string = randomToken,
): ToolOutcome {
  let boundary = token();
  for (let i = 0; i < 8 && outcome.content.includes(boundary); i++) boundary = token();
  return { ...outcome, untrustedBoundary: boundary };
}

/** The result text of a done call, quoted when its outcome is untrusted. */
export function quotedOutcome(call: StoredToolCall, outcome: ToolOutcome): string {
  const boundary = outcome.untrustedBoundary;
  if (boundary === undefined) return outcome.content;
  const input = {
    source: UNTRUSTED_SOURCES.tool,
    title: `${call.name} output`,
    url: '',
    text: outcome.content,
    truncated: false,
  };
  try {
    return wrapUntrusted(input, { boundary: () => boundary });
  } catch {
    // The stored token was unusable (e.g. edited records): quote with a fresh one.
    return wrapUntrusted(input);
  }
}
