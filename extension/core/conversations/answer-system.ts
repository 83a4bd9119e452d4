/**
 * The system prompt of one answer: the conversation's own instructions, the rule for
 * untrusted page content, then what Nook remembers about the user (long-term memory),
 * redacted like the user's own messages. Platform-free.
 */
import { withMemories } from '../memory/select-memories';
import type { Conversation } from '../models';
import { UNTRUSTED_SYSTEM_INSTRUCTION } from '../page/untrusted';
import type { RedactionMap, RedactionSummaryItem } from '../redaction/types';
import type { ChatControllerDeps } from './chat-state';

/** Shown when the remembered facts could not be read or used; the answer goes on without them. */
export const MEMORY_UNREADABLE_NOTICE =
  'Nook could not use its memory for this answer, so it was written without it.';

/** What one answer sends as its system prompt. */
export interface AnswerSystem {
  system: string | undefined;
  /** The conversation's redaction map, extended when the memory block was redacted. */
  map: RedactionMap | undefined;
  /** What redaction replaced in the memory block (counts only, for the ledger). */
  redactions: RedactionSummaryItem[];
  /** Set when memory was wanted but could not be read. */
  notice?: string;
}

/**
 * Builds the system prompt for `conversation`. Memory (`deps.memory`, '' when the
 * conversation has it off) is picked for `query`, the user's last message. Secrets and
 * personal data in it are replaced by placeholders continuing the conversation's map, so
 * the answer shows them restored and nothing redaction would catch leaves in clear.
 */
export async function answerSystem(
  deps: Pick<ChatControllerDeps, 'memory' | 'redactor'>,
  conversation: Conversation,
  query: string,
): Promise<AnswerSystem> {
  const base =
    [
      conversation.systemPrompt?.trim(),
      conversation.untrusted || conversation.toolOutput ? UNTRUSTED_SYSTEM_INSTRUCTION : undefined,
    ]
      .filter(Boolean)
      .join('\n\n') || undefined;
  let map = conversation.redactions;
  let block: string;
  try {
    block = (await deps.memory?.(conversation, query)) ?? '';
  } catch {
    return { system: base, map, redactions: [], notice: MEMORY_UNREADABLE_NOTICE };
  }
  let redactions: RedactionSummaryItem[] = [];
  const redactor = block ? deps.redactor?.() : undefined;
  if (redactor) {
    const opts = map ? { map } : {};
    const findings = redactor.scan(block, opts);
    if (findings.length > 0) {
      const out = redactor.redact(block, findings, opts);
      block = out.text;
      map = out.map;
      redactions = out.summary;
    }
  }
  return { system: withMemories(base, block), map, redactions };
}

/** Adds two redaction summaries (counts per kind), for the ledger entry of one request. */
export function mergeRedactions(
  a: readonly RedactionSummaryItem[] | undefined,
  b: readonly RedactionSummaryItem[],
): RedactionSummaryItem[] {
  const out = [...(a ?? [])];
  for (const item of b) {
    const i = out.findIndex((x) => x.kind === item.kind);
    const prev = out[i];
    if (prev) out[i] = { kind: item.kind, count: prev.count + item.count };
    else out.push(item);
  }
  return out;
}
