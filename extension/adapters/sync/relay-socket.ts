/**
 * A WebSocket-backed {@link RelaySocket}. The first frame is `{type:'auth', token}` (tokens
 * never go in the URL); afterwards the relay only sends `hello`/`notify` with seq numbers.
 * Drops are retried with exponential backoff and jitter; a 4401 close gets a fresh token
 * on the next attempt, a 4410 (account deleted) stops for good.
 */
import { WS_CLOSE } from '../../../shared/protocol';
import { backoffDelay, type BackoffOptions } from '../../core/sync/backoff';
import type { LedgerWebSocket } from '../../core/ledger/ledger-socket';
import type { RelaySocket, SocketStatus } from '../../core/sync/ports';

/** The subset of the WHATWG WebSocket this adapter uses (browser WebSocket, or `ws` in Node). */
export type WebSocketLike = LedgerWebSocket;

/** Options of {@link createWebSocketRelaySocket}. */
export interface RelaySocketOptions {
  url: string;
  /** A current access token (the relay client refreshes it as needed). */
  getToken: () => Promise<string>;
  /** `WebSocket` constructor (globalThis.WebSocket in the extension). */
  WebSocket: new (url: string) => WebSocketLike;
  backoff?: BackoffOptions;
  /** Keep-alive ping interval, ms (default 25 s; proxies drop idle sockets at ~60 s). */
  pingMs?: number;
  /** Called when a connection attempt fails to get a token (e.g. signed out). */
  onAuthError?: (error: unknown) => void;
}

const OPEN = 1;

function parseServer(data: unknown): { type: string; seq?: number; raw: unknown } | undefined {
  if (typeof data !== 'string') {
    data = data instanceof Uint8Array ? new TextDecoder().decode(data) : String(data);
  }
  try {
    const msg: unknown = JSON.parse(data as string);
    if (typeof msg !== 'object' || msg === null) return undefined;
    const { type, seq } = msg as { type?: unknown; seq?: unknown };
    if (typeof type !== 'string') return undefined;
    const validSeq = Number.isSafeInteger(seq) && (seq as number) >= 0;
    return { type, raw: msg, ...(validSeq ? { seq: seq as number } : {}) };
  } catch {
    return undefined;
  }
}

/** The socket plus raw access for other clients of the same connection (e.g. sandbox runs). */
export interface WebSocketRelaySocket extends RelaySocket {
  /** Every parsed server frame (including sandbox `output`/`end`/`run-error`). */
  onServerMessage(listener: (msg: unknown) => void): () => void;
  /** Sends a frame if authenticated and open; false otherwise (the caller retries later). */
  send(frame: object): boolean;
}

/** Creates the socket and starts connecting. */
export function createWebSocketRelaySocket(o: RelaySocketOptions): WebSocketRelaySocket {
  const rawListeners = new Set<(msg: unknown) => void>();
  const notifyListeners = new Set<(seq: number) => void>();
  const statusListeners = new Set<(s: SocketStatus) => void>();
  let status: SocketStatus = 'offline';
  let ws: WebSocketLike | undefined;
  let attempt = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;

  function setStatus(s: SocketStatus): void {
    if (s === status) return;
    status = s;
    for (const l of statusListeners) l(s);
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer !== undefined) return;
    const delay = backoffDelay(attempt, o.backoff);
    attempt += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
  }

  function teardown(): void {
    if (pingTimer !== undefined) clearInterval(pingTimer);
    pingTimer = undefined;
    if (ws !== undefined) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      if (ws.readyState <= OPEN) ws.close(1000, 'client closing');
    }
    ws = undefined;
  }

  async function connect(): Promise<void> {
    if (closed) return;
    let token: string;
    try {
      token = await o.getToken();
    } catch (e) {
      o.onAuthError?.(e);
      setStatus('error');
      scheduleReconnect();
      return;
    }
    if (closed) return;
    const socket = new o.WebSocket(o.url);
    ws = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token }));
    socket.onmessage = (ev) => {
      const msg = parseServer(ev.data);
      if (msg === undefined) return;
      for (const l of rawListeners) l(msg.raw);
      if (msg.type === 'hello' || msg.type === 'notify') {
        if (msg.type === 'hello') {
          attempt = 0;
          setStatus('online');
          pingTimer ??= setInterval(() => {
            if (socket.readyState === OPEN) socket.send(JSON.stringify({ type: 'ping' }));
          }, o.pingMs ?? 25_000);
        }
        if (msg.seq !== undefined) for (const l of notifyListeners) l(msg.seq);
      }
    };
    socket.onerror = () => {
      // A close event always follows; reconnect is handled there.
    };
    socket.onclose = (ev) => {
      teardown();
      if (ev.code === WS_CLOSE.gone) {
        closed = true;
        setStatus('error');
        return;
      }
      setStatus('offline');
      scheduleReconnect();
    };
  }

  void connect();

  return {
    get status() {
      return status;
    },
    onNotify(l) {
      notifyListeners.add(l);
      return () => notifyListeners.delete(l);
    },
    onStatusChange(l) {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    onServerMessage(l) {
      rawListeners.add(l);
      return () => rawListeners.delete(l);
    },
    send(frame) {
      if (status !== 'online' || ws === undefined || ws.readyState !== OPEN) return false;
      ws.send(JSON.stringify(frame));
      return true;
    },
    restart() {
      if (closed) return;
      teardown();
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      retryTimer = undefined;
      attempt = 0;
      setStatus('offline');
      void connect();
    },
    close() {
      closed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      teardown();
      setStatus('offline');
    },
  };
}
