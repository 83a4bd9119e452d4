/**
 * The chat engine's state and dependencies, shared by the controller and its parts
 * (answer runner, outbound message building). Platform-free.
 */
import type { ProviderAdapter } from '../chat/provider';
import type { LedgerFetch } from '../ledger/ledger-fetch';
import type { Conversation, Message, PageAttachment, UsageTotal } from '../models';
import type { Redactor } from '../redaction/redactor';
import type { RecordRepo, RecordResult } from '../records/record-repo-port';
import type { ChatTool } from '../tools/types';
import type { ChatDefaults, ConversationOptions, ProviderLookup } from './answer-parts';

/** Shown after a message is saved while no provider exists yet. */
export const NO_PROVIDER_NOTICE = 'No AI provider is set up yet — add one in Options → Providers.';

/** Everything the conversation shell renders. */
export interface ChatState {
  loading: boolean;
  /** Newest first; damaged records appear as `{ ok: false }` in place. */
  conversations: RecordResult<Conversation>[];
  /** Ids matching the search box, or undefined when the box is empty. */
  matches: Set<string> | undefined;
  query: string;
  selectedId: string | undefined;
  /** Oldest first. */
  messages: RecordResult<Message>[];
  notice: string | undefined;
  error: string | undefined;
  /** The assistant message being streamed (its text lives in `chat.stream`). */
  streamingId: string | undefined;
  /** Provider, model, system prompt and memory switch of a conversation not saved yet. */
  draft: ConversationOptions;
  /** Page text or selection waiting in the composer (from the context menu). */
  attachment?: PageAttachment;
  /** Text the composer should show (a context-menu prompt); `seq` changes on every fill. */
  prefill?: { text: string; seq: number };
}

/** The state of a locked (or not yet loaded) engine: nothing decrypted. */
export function emptyChatState(): ChatState {
  return {
    loading: true,
    conversations: [],
    matches: undefined,
    query: '',
    selectedId: undefined,
    messages: [],
    notice: undefined,
    error: undefined,
    streamingId: undefined,
    draft: {},
    attachment: undefined,
    prefill: undefined,
  };
}

export interface ChatControllerDeps {
  conversations: RecordRepo<Conversation>;
  messages: RecordRepo<Message>;
  now?: () => number;
  newId?: () => string;
  /** Saved providers and their adapters; without it messages are only saved (shell mode). */
  providers?: ProviderLookup & { adapterFor(id: string): ProviderAdapter };
  /** Defaults from Options → Providers, read before each answer. */
  defaults?: () => Promise<ChatDefaults>;
  /** Per provider/model/day token totals. */
  usage?: RecordRepo<UsageTotal>;
  /** The tools offered to the model in a conversation (save_memory, run_code…), per answer. */
  tools?: (conversation: Conversation | undefined) => readonly ChatTool[];
  /**
   * Long-term memory for one answer: the block of remembered facts relevant to `query` (the
   * user's last message), or '' — always '' when the conversation has `memoryOff`.
   * Appended to the system prompt; without it answers use no memory.
   */
  memory?: (conversation: Conversation, query: string) => Promise<string>;
  /** Redaction before sending; without it text goes out as typed (tests, shell mode). */
  redactor?: () => Redactor;
  /** The data-flow ledger: tags chat requests with their conversation and redactions. */
  ledger?: Pick<LedgerFetch, 'tag'>;
}

/** The user's message an answer replies to, stored while the request goes out. */
export interface PendingQuestion {
  /** Settles when the message is stored; rejects if it could not be. */
  saved: Promise<unknown>;
  /** The request is on its way (or none will be made): the message may be written now. */
  sent(): void;
}

/** Conversation list order: most recently updated first. */
export const byNewest = (a: RecordResult<Conversation>, b: RecordResult<Conversation>) =>
  (b.ok ? b.value.updatedAt : b.updatedAt) - (a.ok ? a.value.updatedAt : a.updatedAt);

/** Message order: oldest first. */
export const byOldest = (a: RecordResult<Message>, b: RecordResult<Message>) =>
  (a.ok ? a.value.createdAt : a.updatedAt) - (b.ok ? b.value.createdAt : b.updatedAt);

/** A saved (or about to be saved) message as a list entry. */
export const okEntry = (m: Message, rev: number): RecordResult<Message> => ({
  ok: true,
  id: m.id,
  rev,
  updatedAt: m.createdAt,
  value: m,
});
