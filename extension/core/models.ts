/**
 * Domain models of what Nook stores. Every field here lives only inside an encrypted
 * envelope on disk; the plain row keeps ids and timestamps (see adapters/db/schema.ts).
 */

import type { RedactionMap, RedactionSummaryItem } from './redaction/types';
import type { StoredToolCall } from './tools/types';

/** How a message ended; `interrupted` and `error` keep whatever text arrived. */
export const MESSAGE_STATUS = ['complete', 'interrupted', 'error'] as const;
export type MessageStatus = (typeof MESSAGE_STATUS)[number];

export const MESSAGE_ROLE = ['user', 'assistant', 'system', 'tool'] as const;
export type MessageRole = (typeof MESSAGE_ROLE)[number];

/** A chat thread. `title` is user-visible and therefore encrypted like everything else. */
export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  model?: string;
  providerId?: string;
  systemPrompt?: string;
  personaId?: string;
  /** True when this conversation must not use long-term memory (read or write). */
  memoryOff?: boolean;
  /** True once page text or a selection was sent: every tool call then needs a click. */
  untrusted?: boolean;
  /**
   * True once output from outside Nook (run_code's stdout/stderr) reached the model. It goes
   * as quoted untrusted data; tools that would run by themselves ('auto', e.g. save_memory)
   * then need a click, while a tool the user allowed for this conversation stays allowed.
   */
  toolOutput?: boolean;
  /** Placeholder → original for what redaction replaced in this conversation (stays local). */
  redactions?: RedactionMap;
  /** Tools the user allowed without asking ("allow for this conversation"). */
  allowedTools?: string[];
}

/** Page text or a selection attached to a user message; sent only as quoted untrusted data. */
export interface PageAttachment {
  source: 'selection' | 'page';
  title: string;
  url: string;
  text: string;
  truncated: boolean;
  /** The boundary token of its untrusted block, fixed so resends send the same bytes. */
  boundary: string;
}

/** Token counts reported by a provider for one answer. */
export interface MessageUsage {
  inputTokens: number;
  outputTokens: number;
}

/** One message of a conversation. Messages are immutable once complete. */
export interface Message {
  id: string;
  conversationId: string;
  role: MessageRole;
  content: string;
  createdAt: number;
  model?: string;
  usage?: MessageUsage;
  status?: MessageStatus;
  /** For `error` / `interrupted` answers: what went wrong, in plain words (never provider text). */
  error?: string;
  /** The provider that wrote an assistant message. */
  providerId?: string;
  /**
   * What the provider saw, when it differs from `content`: the user's text with placeholders
   * (and the quoted page block), or the assistant's raw answer before placeholders were
   * restored. Turns are built from this so a secret never travels back to the provider.
   */
  sent?: string;
  /** The page text or selection this user message carries. */
  attachment?: PageAttachment;
  /** What redaction replaced in this message (counts per kind). */
  redactions?: RedactionSummaryItem[];
  /** Tool calls the assistant proposed in this message, with their state and results. */
  toolCalls?: StoredToolCall[];
}

/** User preferences; stored as one encrypted record in the `settings` collection. */
export interface AppSettings {
  /** Minutes without activity before the vault locks itself. */
  autoLockMinutes: number;
  /** Redact e-mail addresses before sending (opt-in; Options → Ledger & privacy). */
  redactEmail?: boolean;
  /** Redact phone numbers before sending (opt-in). */
  redactPhone?: boolean;
  /** The provider new conversations use (Options → Providers). */
  defaultProviderId?: string;
  /** The model new conversations use with the default provider. */
  defaultModel?: string;
  /** Delete conversations untouched for this many days (Options → Data); unset keeps all. */
  retentionDays?: number;
  /** Monthly budget per provider id, in US dollars (Options → Usage). */
  budgets?: Record<string, number>;
  /** Price overrides per model id prefix, USD per 1M tokens (Options → Usage). */
  prices?: Record<string, { input: number; output: number }>;
}

/** The id of the single settings record. */
export const SETTINGS_RECORD_ID = 'app';

/** Limits the options page accepts for the auto-lock timeout, in minutes. */
export const AUTO_LOCK_LIMITS = { min: 1, max: 24 * 60 } as const;

export const DEFAULT_SETTINGS: AppSettings = { autoLockMinutes: 15 } as const;

/** A saved persona: a name, a system prompt and optionally the model it prefers. */
export interface Persona {
  id: string;
  name: string;
  systemPrompt: string;
  providerId?: string;
  model?: string;
  createdAt: number;
}

/**
 * Token totals for one provider + model + UTC day, in the `usage` collection (for later
 * cost and budget views). The record id is `usageRecordId(...)`.
 */
export interface UsageTotal {
  id: string;
  providerId: string;
  model: string;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  inputTokens: number;
  outputTokens: number;
  requests: number;
}
