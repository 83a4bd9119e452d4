/**
 * What routes share, decorated on the app as `app.relay`, plus the bearer-token guard.
 * Typed through `declare module 'fastify'` so routes get no `any`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEvent } from '../shared/protocol';
import type { AttemptLimiter } from './auth/attempt-limiter';
import { ipTag } from './auth/secrets';
import type { Session, SessionService } from './auth/sessions';
import type { Verifier } from './auth/verifier';
import type { RelayConfig } from './config';
import { errors } from './errors';
import type { SeqNotifier } from './notify/notifier';
import type { SandboxRunner } from './sandbox/runner';
import type { SocketRegistry } from './notify/socket-registry';
import type { RelayStore } from './store/types';

/**
 * Called before an account is purged (the sandbox removes its container and volume); if it
 * throws, nothing is deleted and the user may retry.
 */
export type AccountDeletedHook = (accountId: string) => Promise<void>;

/**
 * The code sandbox: its runner (`on`), or why this relay runs none (`off`; the sandbox
 * routes then answer 503 with the reason).
 */
export type SandboxService =
  { state: 'on'; runner: SandboxRunner; maxUploadBytes: number } | { state: 'off'; reason: string };

export interface RelayServices {
  config: RelayConfig;
  store: RelayStore;
  notifier: SeqNotifier;
  sessions: SessionService;
  verifier: Verifier;
  loginLimiter: AttemptLimiter;
  sockets: SocketRegistry;
  now: () => number;
  onAccountDeleted: AccountDeletedHook | undefined;
  sandbox: SandboxService;
  /** Appends an audit entry; the client IP is kept only as a keyed tag. */
  audit(
    accountId: string,
    event: AuditEvent,
    req: FastifyRequest,
    deviceId?: string | null,
  ): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    relay: RelayServices;
  }
  interface FastifyRequest {
    session: Session | null;
  }
}

/** Builds the audit helper bound to the store and pepper. */
export function auditWith(
  store: RelayStore,
  pepper: Uint8Array,
  now: () => number,
): RelayServices['audit'] {
  return (accountId, event, req, deviceId = null) =>
    store.appendAudit({ accountId, event, at: now(), deviceId, ipTag: ipTag(pepper, req.ip) });
}

/** onRequest hook: resolves `Authorization: Bearer nka_…` into `req.session`, else 401. */
export async function requireAuth(
  this: FastifyInstance,
  req: FastifyRequest,
  _reply: FastifyReply,
) {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(header);
  if (match === null || match[1] === undefined) {
    throw errors.unauthorized('Send the access token as "Authorization: Bearer <token>".');
  }
  req.session = await this.relay.sessions.authenticate(match[1]);
}

/** The session of a request that passed requireAuth. */
export function sessionOf(req: FastifyRequest): Session {
  if (req.session === null) throw errors.unauthorized();
  return req.session;
}

/** Decodes base64 the schema already validated. */
export const fromB64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
export const toB64 = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
