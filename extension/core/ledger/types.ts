import type { RedactionSummaryItem } from '../redaction/types';

/**
 * The data-flow ledger: one encrypted record per outbound request the extension made, and per
 * WebSocket (`ledger-socket.ts`) (collection `ledger`, plain index `at`). Never holds a body, a header, a key or a path
 * beyond the host: only what the user needs to see where their data went.
 */

/** Why a request was made. */
export const LEDGER_PURPOSE = {
  chat: 'chat',
  models: 'model-list',
  connectionTest: 'connection-test',
  relay: 'relay',
  sandbox: 'sandbox',
  other: 'other',
} as const;
export type LedgerPurpose = (typeof LEDGER_PURPOSE)[keyof typeof LEDGER_PURPOSE];

/** One outbound request. */
export interface LedgerEntry {
  id: string;
  /** When the request started (ms since epoch). */
  at: number;
  /** `api.openai.com`, `127.0.0.1:11434`: host and port, never the path or query. */
  host: string;
  method: string;
  purpose: LedgerPurpose;
  /** Request body bytes (0 for GET). */
  bytesSent: number;
  /** Response body bytes actually read (a stopped stream counts what arrived). */
  bytesReceived: number;
  /** HTTP status, or undefined when the request never got an answer. */
  status?: number;
  /** `network-error` / `aborted` when no answer came. */
  failure?: 'network-error' | 'aborted';
  /** The conversation a chat request belonged to. */
  conversationId?: string;
  /** What redaction replaced in this request (counts per kind, never values). */
  redactions?: RedactionSummaryItem[];
  /** Which extension page made it (`panel`, `options`, `background`). */
  origin: string;
  /**
   * `websocket` for a WebSocket (a sandbox run, sync notifications): `at` is the start of
   * the span the entry covers, bytes are frame payloads, `status` is 101 once it opened.
   * Absent for a fetch.
   */
  kind?: 'websocket';
  /** How long the span lasted (WebSocket entries), ms. */
  durationMs?: number;
  /** The socket was still open: bytes so far since the previous entry of that socket. */
  ongoing?: true;
}
