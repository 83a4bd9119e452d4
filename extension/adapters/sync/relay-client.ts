/**
 * The fetch-based relay client: account calls (create, prelogin, login, logout), access tokens
 * with single-flight rotating refresh, and the {@link RelayTransport} the sync engine uses.
 * KDF parameters offered by the relay are checked against the pinned ones before the caller
 * derives anything (see core/sync/relay-kdf.ts).
 */
import {
  CreateAccountReply,
  DevicesReply,
  LoginReply,
  ManifestReply,
  OkBody,
  PreloginReply,
  PullReplyServed,
  PushReplyServed,
  SessionReply,
  type CreateAccountBody,
  type LoginBody,
} from '../../../shared/protocol';
import { KDF_FLOOR } from '../../../shared/crypto';
import { RelayError, isRelayError } from '../../core/sync/errors';
import type { RelayTransport } from '../../core/sync/ports';
import { assertRelayKdf, type PinnedKdf } from '../../core/sync/relay-kdf';
import {
  parseRelayUrl,
  relayRequest,
  relayWsUrl,
  type Fetch,
  type RelayRequest,
} from './relay-http';
import type { TSchema } from '@sinclair/typebox';

/** Where the session (tokens) lives: `storage.session` in the extension, memory in tests. */
export interface SessionStore {
  load(): Promise<SessionReply | undefined>;
  save(session: SessionReply | undefined): Promise<void>;
}

/** An in-memory {@link SessionStore}. */
export function createMemorySessionStore(initial?: SessionReply): SessionStore {
  let s = initial;
  return {
    load: async () => s,
    save: async (next) => {
      s = next;
    },
  };
}

/** Options of {@link createRelayClient}. */
export interface RelayClientOptions {
  baseUrl: string;
  sessions: SessionStore;
  fetch?: Fetch;
  now?: () => number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Refresh this long before the access token expires (default 30 s). */
  refreshSkewMs?: number;
}

/** The relay client. */
export interface RelayClient {
  transport: RelayTransport;
  /** The WebSocket URL (wss:, or ws: to loopback). */
  wsUrl: string;
  createAccount(body: CreateAccountBody): Promise<CreateAccountReply>;
  /** Prelogin; refuses (SyncError 'kdf-downgrade') parameters weaker than `pinned`. */
  prelogin(accountId: string, pinned: PinnedKdf): Promise<PreloginReply>;
  /**
   * Prelogin on a browser with nothing pinned yet (linking a new browser): only the KDF floor
   * is checked; the caller pins the answer for login.
   */
  preloginFresh(accountId: string): Promise<PreloginReply>;
  /** Logs in and stores the session; the reply's KDF is checked against `pinned` too. */
  login(body: LoginBody, pinned: PinnedKdf): Promise<LoginReply>;
  logout(): Promise<void>;
  /** The account's devices with "last synced" (GET /v1/devices). */
  devices(): Promise<DevicesReply>;
  /** A valid access token (refreshed if about to expire); RelayError('unauthorized') if none. */
  accessToken(): Promise<string>;
  /** Revokes one device's sessions (DELETE /v1/devices/:id). */
  revokeDevice(id: string): Promise<void>;
  /** Deletes the account and everything the relay holds for it (DELETE /v1/account). */
  deleteAccount(authKey: string): Promise<void>;
  /** True when a session is stored (it may still be expired). */
  hasSession(): Promise<boolean>;
}

/** Creates a relay client for `baseUrl` (https, or http to loopback only). */
export function createRelayClient(o: RelayClientOptions): RelayClient {
  const base = parseRelayUrl(o.baseUrl);
  const fetchFn: Fetch = o.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = o.now ?? Date.now;
  const timeoutMs = o.timeoutMs ?? 30_000;
  const skew = o.refreshSkewMs ?? 30_000;
  let refreshing: Promise<SessionReply> | undefined;

  const call = <S extends TSchema | undefined>(req: RelayRequest<S>) =>
    relayRequest(fetchFn, base, req, timeoutMs);

  /**
   * Rotates the refresh token. Single-flight: two callers must never send the same refresh
   * token, or the relay treats it as theft and revokes the whole session family.
   */
  function refresh(stale: SessionReply): Promise<SessionReply> {
    refreshing ??= (async () => {
      try {
        const current = await o.sessions.load();
        // Someone else already rotated it while we waited.
        if (current !== undefined && current.refreshToken !== stale.refreshToken) return current;
        if (current === undefined || current.refreshExpiresAt <= now()) {
          await o.sessions.save(undefined);
          throw new RelayError('unauthorized', 'The relay session expired; sign in again.');
        }
        const next = await call({
          method: 'POST',
          path: '/v1/token/refresh',
          body: { refreshToken: current.refreshToken },
          reply: SessionReply,
        });
        await o.sessions.save(next);
        return next;
      } catch (e) {
        if (isRelayError(e, 'unauthorized') || isRelayError(e, 'token-reused')) {
          await o.sessions.save(undefined);
        }
        throw e;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  }

  async function session(): Promise<SessionReply> {
    const s = await o.sessions.load();
    if (s === undefined) throw new RelayError('unauthorized', 'Not signed in to the relay.');
    return s.accessExpiresAt - skew <= now() ? refresh(s) : s;
  }

  /** An authenticated call; one refresh-and-retry on 401 (the token may have been revoked early). */
  async function authed<S extends TSchema | undefined>(req: Omit<RelayRequest<S>, 'token'>) {
    const s = await session();
    try {
      return await call({ ...req, token: s.accessToken });
    } catch (e) {
      if (!isRelayError(e, 'unauthorized')) throw e;
      const fresh = await refresh(s);
      return call({ ...req, token: fresh.accessToken });
    }
  }

  // Served envelopes are checked for type and length only: the sync engine decodes each one
  // with the strict fromBase64 and refuses a malformed one (SyncError) before using it.
  const transport: RelayTransport = {
    push: (body) => authed({ method: 'POST', path: '/v1/sync/push', body, reply: PushReplyServed }),
    pull: (since, limit) =>
      authed({
        method: 'GET',
        path: '/v1/sync/pull',
        query: { since, limit },
        reply: PullReplyServed,
      }),
    async getManifest() {
      try {
        return await authed({ method: 'GET', path: '/v1/sync/manifest', reply: ManifestReply });
      } catch (e) {
        if (isRelayError(e, 'not-found')) return undefined;
        throw e;
      }
    },
    putManifest: (body) =>
      authed({ method: 'PUT', path: '/v1/sync/manifest', body, reply: ManifestReply }),
  };

  return {
    transport,
    wsUrl: relayWsUrl(base),
    createAccount: (body) =>
      call({ method: 'POST', path: '/v1/accounts', body, reply: CreateAccountReply }),
    async prelogin(accountId, pinned) {
      const reply = await call({
        method: 'POST',
        path: '/v1/prelogin',
        body: { accountId },
        reply: PreloginReply,
      });
      assertRelayKdf(reply, pinned);
      return reply;
    },
    async preloginFresh(accountId) {
      const reply = await call({
        method: 'POST',
        path: '/v1/prelogin',
        body: { accountId },
        reply: PreloginReply,
      });
      assertRelayKdf(reply, { kdf: KDF_FLOOR, salt: reply.salt });
      return reply;
    },
    async login(body, pinned) {
      const reply = await call({ method: 'POST', path: '/v1/login', body, reply: LoginReply });
      assertRelayKdf(reply, pinned);
      await o.sessions.save(reply.session);
      return reply;
    },
    async logout() {
      try {
        await authed({ method: 'POST', path: '/v1/logout', reply: OkBody });
      } finally {
        await o.sessions.save(undefined);
      }
    },
    devices: () => authed({ method: 'GET', path: '/v1/devices', reply: DevicesReply }),
    accessToken: async () => (await session()).accessToken,
    async revokeDevice(id) {
      // Device ids are random hex the relay issued: safe in a path, never user content.
      await authed({
        method: 'DELETE',
        path: `/v1/devices/${encodeURIComponent(id)}`,
        reply: OkBody,
      });
    },
    async deleteAccount(authKey) {
      await authed({ method: 'DELETE', path: '/v1/account', body: { authKey }, reply: OkBody });
      await o.sessions.save(undefined);
    },
    hasSession: async () => (await o.sessions.load()) !== undefined,
  };
}
