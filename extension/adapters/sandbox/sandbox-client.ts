/**
 * The extension's sandbox client: {@link SandboxPort} over the relay's HTTP routes and a
 * WebSocket per run. It asks `session()` for the connected relay and a fresh access token on
 * every call, so signing in or out in Options → Sync takes effect at once.
 */
import { OkBody, RelayHealthBody, SandboxFileList, SandboxStatus } from '../../../shared/protocol';
import { SandboxClientError } from '../../core/sandbox/errors';
import type { SandboxPort, SandboxSession, SandboxSessionSource } from '../../core/sandbox/ports';
import { parseRelayUrl, relayWsUrl } from '../sync/relay-http';
import type { WebSocketLike } from '../sync/relay-socket';
import { sandboxBytes, sandboxJson, tokenOf, type Fetch } from './sandbox-http';
import { runOverSocket } from './sandbox-run-socket';

/** Options of {@link createSandboxClient}. */
export interface SandboxClientOptions {
  session: SandboxSessionSource;
  fetch?: Fetch;
  /**
   * Opens a run's socket; `run.conversationId` is the conversation the run belongs to (for
   * the data-flow ledger). Default: the global `WebSocket`.
   */
  openSocket?: (url: string, run: { conversationId?: string }) => WebSocketLike;
  /** Per-request timeout for files and status (default 60 s: uploads may be 32 MiB). */
  timeoutMs?: number;
  /** Run time limit when the caller gives none (the relay's default is 30 s). */
  defaultRunTimeoutMs?: number;
}

/**
 * A workspace path as URL segments. Dot and empty segments are refused here: URL parsing
 * would resolve `..` (even percent-encoded) before the relay ever saw it.
 */
export function encodeWorkspacePath(path: string): string {
  const segments = path.split('/');
  if (
    path.length === 0 ||
    segments.some((s) => s === '' || s === '.' || s === '..') ||
    path.includes('\u0000')
  ) {
    throw new SandboxClientError('bad-path');
  }
  return segments.map(encodeURIComponent).join('/');
}

/** Creates the client. */
export function createSandboxClient(o: SandboxClientOptions): SandboxPort {
  const fetchFn: Fetch = o.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = o.timeoutMs ?? 60_000;

  async function connection(): Promise<{ session: SandboxSession; base: URL; token: string }> {
    const session = await o.session();
    if (session === undefined) throw new SandboxClientError('not-connected');
    let base: URL;
    try {
      base = parseRelayUrl(session.baseUrl);
    } catch (cause) {
      throw new SandboxClientError('rejected', { message: (cause as Error).message, cause });
    }
    return { session, base, token: await tokenOf(() => session.accessToken()) };
  }

  const url = (base: URL, path: string) => {
    const u = new URL(base.href);
    u.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
    return u.href;
  };

  async function request(method: 'GET' | 'POST' | 'DELETE', path: string) {
    const c = await connection();
    return { fetchFn, req: { method, url: url(c.base, path), token: c.token, timeoutMs } };
  }

  return {
    async run(input) {
      const WS = globalThis.WebSocket as (new (url: string) => WebSocketLike) | undefined;
      const openSocket = o.openSocket ?? (WS && ((url: string) => new WS(url)));
      if (openSocket === undefined) throw new SandboxClientError('relay-down');
      const c = await connection();
      const run = input.conversationId ? { conversationId: input.conversationId } : {};
      return runOverSocket({
        url: relayWsUrl(c.base),
        token: c.token,
        open: (url) => openSocket(url, run),
        input,
        timeoutMs: input.timeoutMs ?? o.defaultRunTimeoutMs ?? 30_000,
      });
    },
    async listFiles() {
      const { req } = await request('GET', '/v1/sandbox/files');
      return sandboxJson(fetchFn, req, SandboxFileList);
    },
    async upload(path, bytes) {
      const encoded = encodeWorkspacePath(path);
      const c = await connection();
      await sandboxJson(
        fetchFn,
        {
          method: 'PUT',
          url: url(c.base, `/v1/sandbox/files/${encoded}`),
          token: c.token,
          body: bytes,
          timeoutMs,
        },
        OkBody,
      );
    },
    async download(path) {
      const { req } = await request('GET', `/v1/sandbox/files/${encodeWorkspacePath(path)}`);
      return sandboxBytes(fetchFn, req);
    },
    async deleteFile(path) {
      const { req } = await request('DELETE', `/v1/sandbox/files/${encodeWorkspacePath(path)}`);
      await sandboxJson(fetchFn, req, OkBody);
    },
    async status() {
      const { req } = await request('GET', '/v1/sandbox/status');
      return sandboxJson(fetchFn, req, SandboxStatus);
    },
    async reset() {
      const { req } = await request('POST', '/v1/sandbox/reset');
      await sandboxJson(fetchFn, req, OkBody);
    },
    connected: async () => (await o.session()) !== undefined,
    async sandboxOn() {
      const { req } = await request('GET', '/healthz');
      return (await sandboxJson(fetchFn, req, RelayHealthBody)).sandbox === 'on';
    },
  };
}
