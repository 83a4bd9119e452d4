/**
 * The ledger for WebSockets: wraps a socket factory so that every socket the extension opens
 * (a sandbox run, the sync notification socket) is recorded like a fetch — host, purpose,
 * payload bytes sent and received, the conversation of a sandbox run, duration — and never
 * a frame's contents.
 *
 * One entry per socket when it ends (closed by either side, or failed). A long-lived socket
 * also gets an `ongoing` entry every {@link LEDGER_SOCKET_SEGMENT_MS} with the bytes since
 * the previous one, and on {@link LedgerSockets.flush} (the page calls it on `pagehide`).
 * Why both: the timer bounds how long traffic stays invisible while the page runs (a sync
 * socket may live for hours; visibility changes don't stop it, so they are not a trigger),
 * and the flush covers the last segment of a page that closes, when no close event runs.
 * A flush started during unload is best-effort; at most one segment is lost.
 */
import { bodySize, purposeOf, type LedgerSink } from './ledger-fetch';
import type { LedgerEntry, LedgerPurpose } from './types';

/** How often a still-open socket gets an entry (10 min: hours-long sockets stay visible). */
export const LEDGER_SOCKET_SEGMENT_MS = 10 * 60_000;

/**
 * The subset of the WHATWG WebSocket the extension uses (browser `WebSocket`, or `ws` in
 * Node); the adapters' `WebSocketLike` is this type.
 */
export interface LedgerWebSocket {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** What the ledger should know about one socket beyond its URL. */
export interface LedgerSocketInfo {
  /** Overrides the purpose guessed from the URL (sandbox runs share the relay's `/v1/ws`). */
  purpose?: LedgerPurpose;
  /** The conversation a sandbox run belongs to. */
  conversationId?: string;
}

/** Opens sockets that are recorded in the ledger. */
export interface LedgerSockets {
  open(url: string, info?: LedgerSocketInfo): LedgerWebSocket;
  /** `open` as a constructor, for adapters that take a `WebSocket` class (`new WS(url)`). */
  WebSocket: new (url: string) => LedgerWebSocket;
  /** Records an `ongoing` entry for every open socket that moved bytes since its last one. */
  flush(): void;
}

/** Wraps `base` so that every socket it opens is recorded in `sink`. */
export function createLedgerSockets(deps: {
  base: (url: string) => LedgerWebSocket;
  sink: LedgerSink;
  /** Which page this is: 'panel', 'options', 'background'. */
  origin: string;
  now?: () => number;
  newId?: () => string;
  segmentMs?: number;
}): LedgerSockets {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  const segmentMs = deps.segmentMs ?? LEDGER_SOCKET_SEGMENT_MS;
  const live = new Set<() => void>();

  const write = (entry: LedgerEntry) => {
    try {
      deps.sink.record(entry).catch(() => undefined);
    } catch {
      // A sink that throws synchronously must not break the socket either.
    }
  };

  function open(raw: string, info: LedgerSocketInfo = {}): LedgerWebSocket {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return deps.base(raw); // not a URL: the platform throws its own error
    }
    const base = {
      host: url.host,
      method: 'GET',
      purpose: info.purpose ?? purposeOf(url, 'GET'),
      origin: deps.origin,
      kind: 'websocket' as const,
      ...(info.conversationId ? { conversationId: info.conversationId } : {}),
    };
    let since = now();
    let sent = 0;
    let received = 0;
    let opened = false;
    let ended = false;
    const segment = (extra: Partial<LedgerEntry>): LedgerEntry => {
      const at = now();
      const entry: LedgerEntry = {
        id: newId(),
        at: since,
        ...base,
        bytesSent: sent,
        bytesReceived: received,
        durationMs: Math.max(0, at - since),
        ...(opened ? { status: 101 } : {}),
        ...extra,
      };
      since = at;
      sent = 0;
      received = 0;
      return entry;
    };
    const partial = () => {
      if (!ended && (sent > 0 || received > 0)) write(segment({ ongoing: true }));
    };
    const end = (failure?: LedgerEntry['failure']) => {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      live.delete(partial);
      write(segment(failure ? { failure } : {}));
    };

    let inner: LedgerWebSocket;
    try {
      inner = deps.base(raw);
    } catch (e) {
      ended = true;
      write(segment({ failure: 'network-error' }));
      throw e;
    }
    const timer = setInterval(partial, segmentMs);
    live.add(partial);

    const outer: LedgerWebSocket = {
      get readyState() {
        return inner.readyState;
      },
      onopen: null,
      onmessage: null,
      onclose: null,
      onerror: null,
      send(data) {
        inner.send(data);
        sent += bodySize(data);
      },
      close(code, reason) {
        // Closed by us: recorded now (the page may be going away before the close event).
        end(opened ? undefined : 'aborted');
        inner.close(code, reason);
      },
    };
    inner.onopen = (ev) => {
      opened = true;
      outer.onopen?.(ev);
    };
    inner.onmessage = (ev) => {
      received += bodySize(ev.data);
      outer.onmessage?.(ev);
    };
    inner.onerror = (ev) => {
      // An error closes the socket; the close event that follows finds the entry written.
      end('network-error');
      outer.onerror?.(ev);
    };
    inner.onclose = (ev) => {
      end(opened && ev.code !== 1006 ? undefined : 'network-error');
      outer.onclose?.(ev);
    };
    return outer;
  }

  // `new` on a plain function that returns an object yields that object.
  function LedgerWebSocketClass(this: unknown, url: string) {
    return open(url);
  }

  return {
    open,
    WebSocket: LedgerWebSocketClass as unknown as new (url: string) => LedgerWebSocket,
    flush() {
      for (const f of [...live]) f();
    },
  };
}
