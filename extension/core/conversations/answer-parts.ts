/**
 * Pure helpers of the chat engine: which provider and model answer a conversation,
 * what the model is sent, and how a failed stream is recorded. Platform-free.
 */
import type { ChatTurn } from '../chat/provider';
import { messagesToTurns } from '../tools/tool-turns';
import { ProviderError } from '../chat/provider-error';
import type { Conversation, Message, MessageStatus } from '../models';
import type { RecordResult } from '../records/record-repo-port';

/** The per-conversation choices (also the draft of a conversation not yet saved). */
export interface ConversationOptions {
  providerId?: string;
  model?: string;
  systemPrompt?: string;
  personaId?: string;
  /** Long-term memory is neither read nor written in this conversation ("Use memory" off). */
  memoryOff?: boolean;
}

/** What the engine needs to know about the saved providers. */
export interface ProviderLookup {
  usable(): { id: string; label: string; defaultModel?: string }[];
  /** Re-reads the saved providers (another page may have changed them). */
  load?(): Promise<void>;
  /** Re-reads them only if they changed since the last read (preferred over `load`). */
  refresh?(): Promise<void>;
}

/** The app-wide defaults from Options → Providers. */
export interface ChatDefaults {
  defaultProviderId?: string;
  defaultModel?: string;
}

/** Shown when a provider exists but no model was chosen anywhere. */
export const NO_MODEL_NOTICE =
  'Pick a model in the model menu above (or set a default model in Options → Providers).';

/**
 * Resolves provider + model: the conversation's choice, else the defaults, else the first
 * saved provider and its default model. `notice` explains what is missing.
 */
export function resolveTarget(
  opts: ConversationOptions,
  providers: ProviderLookup,
  defaults: ChatDefaults,
  noProviderNotice: string,
): { ok: true; providerId: string; model: string } | { ok: false; notice: string } {
  const usable = providers.usable();
  const provider =
    usable.find((p) => p.id === opts.providerId) ??
    usable.find((p) => p.id === defaults.defaultProviderId) ??
    usable[0];
  if (!provider) return { ok: false, notice: noProviderNotice };
  const isDefault = provider.id === defaults.defaultProviderId;
  const model =
    (opts.providerId === provider.id ? opts.model?.trim() : undefined) ||
    (isDefault ? defaults.defaultModel?.trim() : undefined) ||
    provider.defaultModel?.trim();
  if (!model) return { ok: false, notice: NO_MODEL_NOTICE };
  return { ok: true, providerId: provider.id, model };
}

/**
 * The turns sent to the model: user and non-empty assistant messages, oldest first, as the
 * provider saw them (`Message.sent`: placeholders, quoted page blocks), with tool results.
 */
export function toTurns(messages: readonly RecordResult<Message>[]): ChatTurn[] {
  return messagesToTurns(messages);
}

/** Options of a saved conversation. */
export function optionsOf(c: Conversation): ConversationOptions {
  return {
    providerId: c.providerId,
    model: c.model,
    systemPrompt: c.systemPrompt,
    personaId: c.personaId,
    memoryOff: c.memoryOff,
  };
}

/** Shown for a failure that is not a ProviderError (a bug, not the provider). */
export const UNEXPECTED_ANSWER_ERROR =
  'Something went wrong while answering: your message is kept; press Retry.';

/**
 * How an ended stream is recorded: Stop and dropped connections are `interrupted`, and so
 * is any failure after some text arrived (the partial answer is kept); the rest `error`.
 */
export function outcomeOf(
  e: unknown,
  hadText: boolean,
): { status: MessageStatus; error: string; retryAfterMs?: number } {
  if (!(e instanceof ProviderError)) {
    return { status: hadText ? 'interrupted' : 'error', error: UNEXPECTED_ANSWER_ERROR };
  }
  const interrupted = e.kind === 'aborted' || e.kind === 'interrupted' || hadText;
  return {
    status: interrupted ? 'interrupted' : 'error',
    error: e.userMessage(),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
  };
}
