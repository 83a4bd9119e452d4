/**
 * What a user message becomes on the wire: the user's words, then (if any) the page text
 * or selection as a quoted untrusted block, then redaction over the whole. The composer
 * shows `prepareOutbound`'s findings; sending calls `finalizeOutbound` with the ones the
 * user chose to keep. Platform-free.
 */
import type { PageAttachment } from '../models';
import { wrapUntrusted } from '../page/untrusted';
import type { Redactor } from './redactor';
import type { Finding, RedactionMap, RedactionSummaryItem } from './types';

/** Said to the model when the user sent page content without a question. */
export const NO_QUESTION_TEXT = 'Here is the content; I will ask about it next.';

/** The exact text the provider would see before redaction. */
export function composeOutbound(prompt: string, attachment?: PageAttachment): string {
  const words = prompt.trim();
  if (!attachment) return words;
  const block = wrapUntrusted(
    {
      source: attachment.source,
      title: attachment.title,
      url: attachment.url,
      text: attachment.text,
      truncated: attachment.truncated,
    },
    { boundary: () => attachment.boundary },
  );
  return `${words || NO_QUESTION_TEXT}\n\n${block}`;
}

/** The composed text and what would be redacted in it (for the preview). */
export interface PreparedOutbound {
  text: string;
  findings: Finding[];
}

/** Composes and scans; placeholder numbers continue from the conversation's map. */
export function prepareOutbound(
  redactor: Redactor,
  prompt: string,
  attachment: PageAttachment | undefined,
  map: RedactionMap | undefined,
): PreparedOutbound {
  const text = composeOutbound(prompt, attachment);
  return { text, findings: redactor.scan(text, map ? { map } : {}) };
}

/** What is sent and kept after the preview. */
export interface FinalOutbound {
  /** The text the provider gets. */
  sent: string;
  map: RedactionMap;
  summary: RedactionSummaryItem[];
}

/**
 * Redacts the prepared text, sending the findings in `keep` as they are. Throws
 * RedactionError('stale-findings') if the text changed since the preview.
 */
export function finalizeOutbound(
  redactor: Redactor,
  prepared: PreparedOutbound,
  keep: ReadonlySet<string>,
  map: RedactionMap | undefined,
): FinalOutbound {
  const out = redactor.redact(prepared.text, prepared.findings, {
    skip: keep,
    ...(map ? { map } : {}),
  });
  return { sent: out.text, map: out.map, summary: out.summary };
}

/** A fresh boundary token for a new attachment (16 random bytes, hex). */
export function newBoundary(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What the composer hands to `chat.send` besides the text. */
export interface SendExtras {
  attachment?: PageAttachment;
  /** The preview's findings (scan of `composeOutbound(text, attachment)`). */
  findings?: readonly Finding[];
  /** Finding ids the user chose to send unredacted ("undo" in the preview). */
  keep?: ReadonlySet<string>;
}

/** The user message's outbound fields, and the conversation's extended map. */
export interface OutboundFields {
  sent?: string;
  redactions?: RedactionSummaryItem[];
  attachment?: PageAttachment;
  map?: RedactionMap;
}

/**
 * Builds what a user message sends. Without a redactor the composed text goes as it is.
 * Without preview findings (edit-and-resend) every finding is redacted.
 * @throws RedactionError('stale-findings') when the preview no longer matches the text.
 */
export function outboundFields(
  redactor: Redactor | undefined,
  content: string,
  extras: SendExtras,
  map: RedactionMap | undefined,
): OutboundFields {
  const { attachment } = extras;
  const text = composeOutbound(content, attachment);
  const base: OutboundFields = attachment ? { attachment } : {};
  if (!redactor) return text === content ? base : { ...base, sent: text };
  const findings = extras.findings ?? redactor.scan(text, map ? { map } : {});
  const out = finalizeOutbound(
    redactor,
    { text, findings: [...findings] },
    extras.keep ?? new Set(),
    map,
  );
  return {
    ...base,
    ...(out.sent !== content ? { sent: out.sent } : {}),
    ...(out.summary.length ? { redactions: out.summary } : {}),
    map: out.map,
  };
}
