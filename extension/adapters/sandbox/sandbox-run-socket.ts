/**
 * One sandbox run over its own authenticated WebSocket: `auth` → `hello` → `run`, then the
 * `output` frames as produced and exactly one `end` or `run-error`. A socket per run keeps
 * runs independent of the sync connection and of each other; the token goes in the first
 * frame, never the URL.
 *
 * Closing the socket (Stop) does not cancel the run on the relay — it has no cancel — but
 * every run ends there by its own deadline, so nothing can outlive it.
 */
import { Value } from '@sinclair/typebox/value';
import { WS_CLOSE, WsRunEnd, WsRunError, WsRunOutput } from '../../../shared/protocol';
import { SandboxClientError } from '../../core/sandbox/errors';
import type { SandboxRunEnd, SandboxRunInput } from '../../core/sandbox/ports';
import type { WebSocketLike } from '../sync/relay-socket';
import { fromRelayCode } from './sandbox-http';

/** Options of {@link runOverSocket}. */
export interface SocketRunOptions {
  url: string;
  token: string;
  /** Opens the socket (the page's ledger-recording opener, or `new WebSocket(url)`). */
  open: (url: string) => WebSocketLike;
  input: SandboxRunInput;
  /** The run's own limit; the watchdog allows for the queue and the relay's grace. */
  timeoutMs: number;
  /** Frames queued behind other runs of the account (relay default 2). */
  queueLength?: number;
}

/** Extra time the relay may take past a run's deadline (its grace + transfer). */
const SLACK_MS = 10_000;

const text = (data: unknown): string =>
  typeof data === 'string'
    ? data
    : data instanceof ArrayBuffer
      ? new TextDecoder().decode(data)
      : String(data);

/** Starts the run and resolves with how it ended; rejects with a SandboxClientError. */
export function runOverSocket(o: SocketRunOptions): Promise<SandboxRunEnd> {
  const runId = `r${Math.random().toString(36).slice(2, 12)}${Date.now().toString(36)}`;
  const { input } = o;
  return new Promise<SandboxRunEnd>((resolve, reject) => {
    if (input.signal?.aborted) {
      reject(new SandboxClientError('aborted'));
      return;
    }
    let settled = false;
    let ws: WebSocketLike;
    const finish = (err: SandboxClientError | undefined, end?: SandboxRunEnd) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      input.signal?.removeEventListener('abort', onAbort);
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      if (ws.readyState <= 1) ws.close(1000, 'run finished');
      if (err) reject(err);
      else resolve(end as SandboxRunEnd);
    };
    const onAbort = () => finish(new SandboxClientError('aborted'));
    // Queued runs wait for the ones ahead of them: each may use its whole deadline.
    const budget = (o.timeoutMs + SLACK_MS) * (1 + (o.queueLength ?? 2)) + SLACK_MS;
    const watchdog = setTimeout(() => finish(new SandboxClientError('timeout')), budget);
    input.signal?.addEventListener('abort', onAbort);
    try {
      ws = o.open(o.url);
    } catch (cause) {
      clearTimeout(watchdog);
      input.signal?.removeEventListener('abort', onAbort);
      reject(new SandboxClientError('relay-down', { cause }));
      return;
    }
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: o.token }));
    ws.onerror = () => undefined; // onclose follows and says what happened
    ws.onclose = (ev) => {
      const code =
        ev.code === WS_CLOSE.unauthorized
          ? 'unauthorized'
          : ev.code === WS_CLOSE.gone
            ? 'unauthorized'
            : 'relay-down';
      finish(new SandboxClientError(code));
    };
    ws.onmessage = (ev) => {
      let msg: unknown;
      try {
        msg = JSON.parse(text(ev.data));
      } catch {
        finish(new SandboxClientError('bad-reply'));
        return;
      }
      const type = (msg as { type?: unknown } | null)?.type;
      if (type === 'hello') {
        ws.send(
          JSON.stringify({
            type: 'run',
            runId,
            language: input.language,
            code: input.code,
            timeoutMs: o.timeoutMs,
          }),
        );
      } else if (Value.Check(WsRunOutput, msg)) {
        if (msg.runId === runId) input.onOutput?.(msg.stream, msg.data);
      } else if (Value.Check(WsRunEnd, msg)) {
        if (msg.runId !== runId) return;
        const { type: _t, runId: _r, ...end } = msg;
        finish(undefined, end);
      } else if (Value.Check(WsRunError, msg)) {
        if (msg.runId === runId) finish(fromRelayCode(msg.code, undefined, msg.message));
      }
      // notify / pong and anything newer are not ours: ignored.
    };
  });
}
