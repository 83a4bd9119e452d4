/**
 * GET /v1/ws. The first frame must be `{type:'auth', token}` within the configured time, or
 * the socket closes with 4401. Afterwards the server announces `{type:'notify', seq}`, answers
 * pings and runs code in the account's sandbox (`run`, see sandbox-ws.ts). Tokens never travel in the URL, where proxies would log them.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import {
  PROTOCOL_VERSION,
  WS_CLOSE,
  type WsClientMessage,
  type WsServerMessage,
} from '../../shared/protocol';
import { checkRunFrame, createSocketRuns } from './sandbox-ws';

/** Largest frame accepted before the socket is authenticated. */
const PRE_AUTH_MAX_BYTES = 4096;

/** The frame as JSON (undefined when it is not JSON). */
function parseJson(data: unknown): unknown {
  try {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The auth and ping messages (runs are checked by sandbox-ws.ts). */
function parse(json: unknown): WsClientMessage | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const msg = json as Partial<Record<string, unknown>>;
  if (msg.type === 'auth' && typeof msg.token === 'string' && msg.token.length <= 128) {
    return { type: 'auth', token: msg.token };
  }
  if (msg.type === 'ping') return { type: 'ping' };
  return undefined;
}

const send = (socket: WebSocket, msg: WsServerMessage) => {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
};

/** Registers the WebSocket route. */
export async function wsRoutes(app: FastifyInstance): Promise<void> {
  const { config } = app.relay;

  app.get('/v1/ws', { websocket: true, schema: { tags: ['sync'], hide: true } }, (socket) => {
    let state: 'awaiting-auth' | 'authenticating' | 'open' | 'closed' = 'awaiting-auth';
    const cleanups: (() => void)[] = [];
    const authTimer = setTimeout(() => {
      if (state !== 'open') socket.close(WS_CLOSE.unauthorized, 'auth timeout');
    }, config.wsAuthTimeoutMs);
    cleanups.push(() => clearTimeout(authTimer));

    socket.on('close', () => {
      state = 'closed';
      for (const c of cleanups.splice(0)) c();
    });

    let runs: ReturnType<typeof createSocketRuns> | undefined;

    socket.on('message', (data) => {
      // With the sandbox on, frames may be large (code); before auth only a small one is fair.
      if (state !== 'open' && Buffer.isBuffer(data) && data.length > PRE_AUTH_MAX_BYTES) {
        socket.close(WS_CLOSE.unauthorized, 'auth first');
        return;
      }
      const json = parseJson(data);
      const msg = parse(json);
      if (state === 'open') {
        const run = checkRunFrame(json);
        if (msg?.type === 'ping') send(socket, { type: 'pong' });
        else if (run.kind === 'run') runs?.start(run.run);
        else if (run.kind === 'bad-run') runs?.reject(run.runId);
        else socket.close(WS_CLOSE.badMessage, 'unexpected message');
        return;
      }
      if (state !== 'awaiting-auth' || msg?.type !== 'auth') {
        socket.close(
          state === 'awaiting-auth' ? WS_CLOSE.unauthorized : WS_CLOSE.badMessage,
          'auth first',
        );
        return;
      }
      state = 'authenticating';
      void authenticate(msg.token);
    });

    async function authenticate(token: string): Promise<void> {
      try {
        const session = await app.relay.sessions.authenticate(token);
        if (state !== 'authenticating') return;
        let ready = false;
        // Subscribe before reading seq: anything published earlier is covered by `hello`.
        cleanups.push(
          app.relay.notifier.subscribe(session.accountId, (seq) => {
            if (ready) send(socket, { type: 'notify', seq });
          }),
        );
        cleanups.push(app.relay.sockets.add(session.accountId, { socket, ...session }));
        const account = await app.relay.store.getAccount(session.accountId);
        if (state !== 'authenticating') return;
        if (account === undefined) {
          socket.close(WS_CLOSE.gone, 'account deleted');
          return;
        }
        state = 'open';
        clearTimeout(authTimer);
        runs = createSocketRuns({
          sandbox: app.relay.sandbox,
          accountId: session.accountId,
          send: (m) => send(socket, m),
          log: app.log,
        });
        ready = true;
        send(socket, { type: 'hello', protocolVersion: PROTOCOL_VERSION, seq: account.seq });
        // Access tokens are short-lived; the socket lives no longer than its token.
        const expiry = setTimeout(
          () => socket.close(WS_CLOSE.unauthorized, 'token expired'),
          Math.max(0, session.expiresAt - app.relay.now()),
        );
        expiry.unref();
        cleanups.push(() => clearTimeout(expiry));
      } catch {
        if (state !== 'closed') socket.close(WS_CLOSE.unauthorized, 'unauthorized');
      }
    }
  });
}
