/**
 * The one fetch every outbound request of the extension goes through: it forwards the
 * request unchanged and records a {@link LedgerEntry} (host, purpose, bytes, conversation,
 * redactions) once the response body has been read or the request failed.
 */
import type { RedactionSummaryItem } from '../redaction/types';
import { LEDGER_PURPOSE, type LedgerEntry, type LedgerPurpose } from './types';

/** Which conversation (and which redactions) the chat request in flight belongs to. */
export interface LedgerTag {
  conversationId: string;
  redactions?: RedactionSummaryItem[];
}

/** Where entries go (the encrypted ledger store). Failures there never break a request. */
export interface LedgerSink {
  record(entry: LedgerEntry): Promise<void>;
}

/** A fetch with a way to tag the chat request that is about to be made. */
export interface LedgerFetch {
  fetch: typeof fetch;
  /** Tags chat requests made until the returned function is called. */
  tag(tag: LedgerTag): () => void;
}

/** Guesses why a request was made from its method and path (never stored). */
export function purposeOf(url: URL, method: string): LedgerPurpose {
  const p = url.pathname;
  if (/\/models(\/[^/]+)?$/.test(p) && method === 'GET') return LEDGER_PURPOSE.models;
  if (/\/(chat\/completions|messages|responses)$|:(stream)?generateContent$/i.test(p))
    return LEDGER_PURPOSE.chat;
  if (/\/(api\/tags|api\/version)$/.test(p)) return LEDGER_PURPOSE.connectionTest;
  if (/\/v\d+\/(sync|accounts?|auth|devices|records|manifest|audit|ws)\b/.test(p))
    return LEDGER_PURPOSE.relay;
  if (/\/sandbox\b/.test(p)) return LEDGER_PURPOSE.sandbox;
  return LEDGER_PURPOSE.other;
}

/** Size in bytes of a request body as the SDKs send it. */
export function bodySize(body: unknown): number {
  if (body === undefined || body === null) return 0;
  if (typeof body === 'string') return new TextEncoder().encode(body).byteLength;
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  if (typeof Blob !== 'undefined' && body instanceof Blob) return body.size;
  if (body instanceof URLSearchParams) return new TextEncoder().encode(body.toString()).byteLength;
  // FormData / streams: not sent by Nook's SDK calls; counted as unknown (0) rather than read.
  return 0;
}

/** Wraps `base` so that every request is recorded in `sink`. */
export function createLedgerFetch(deps: {
  base: typeof fetch;
  sink: LedgerSink;
  /** Which page this is: 'panel', 'options', 'background'. */
  origin: string;
  now?: () => number;
  newId?: () => string;
}): LedgerFetch {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  let current: LedgerTag | undefined;

  const write = (entry: LedgerEntry) => {
    deps.sink.record(entry).catch(() => undefined);
  };

  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const purpose = purposeOf(url, method);
    const tag = purpose === LEDGER_PURPOSE.chat ? current : undefined;
    const entry: LedgerEntry = {
      id: newId(),
      at: now(),
      host: url.host,
      method,
      purpose,
      bytesSent: bodySize(init?.body),
      bytesReceived: 0,
      origin: deps.origin,
      ...(tag ? { conversationId: tag.conversationId } : {}),
      ...(tag?.redactions?.length ? { redactions: tag.redactions } : {}),
    };
    let response: Response;
    try {
      response = await deps.base(input, init);
    } catch (e) {
      const aborted = e instanceof Error && e.name === 'AbortError';
      write({ ...entry, failure: aborted ? 'aborted' : 'network-error' });
      throw e;
    }
    const done = { ...entry, status: response.status };
    if (!response.body) {
      write(done);
      return response;
    }
    let received = 0;
    let written = false;
    const finish = (failure?: LedgerEntry['failure']) => {
      if (written) return;
      written = true;
      write({ ...done, bytesReceived: received, ...(failure ? { failure } : {}) });
    };
    const reader = response.body.getReader();
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done: end, value } = await reader.read();
          if (end) {
            finish();
            controller.close();
            return;
          }
          received += value.byteLength;
          controller.enqueue(value);
        } catch (e) {
          finish(e instanceof Error && e.name === 'AbortError' ? 'aborted' : 'network-error');
          controller.error(e);
        }
      },
      cancel(reason) {
        finish('aborted');
        return reader.cancel(reason);
      },
    });
    return new Response(counted, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  return {
    fetch: wrapped as typeof fetch,
    tag(tag) {
      current = tag;
      return () => {
        if (current === tag) current = undefined;
      };
    },
  };
}
