/** Sign-up, prelogin, login, token refresh and logout (design.md §5 Accounts). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CreateAccountBody,
  CreateAccountReply,
  LoginBody,
  LoginReply,
  OkBody,
  PreloginBody,
  PreloginReply,
  RefreshBody,
  ERROR_CODES,
  SessionReply,
  type KdfParams,
} from '../../shared/protocol';
import { keyedHash, safeEqual } from '../auth/secrets';
import { errors, RelayError } from '../errors';
import { fromB64, requireAuth, sessionOf } from '../services';
import { bearer, responses } from './schema-helpers';

/** The two client KDF profiles (design.md §2); fake prelogin picks one per id. */
const FAKE_PROFILES: readonly KdfParams[] = [
  { alg: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4 },
  { alg: 'argon2id', memoryKiB: 32768, iterations: 6, parallelism: 4 },
];

/** Stable fake KDF parameters for an unknown id, so prelogin does not reveal existence. */
export function fakePrelogin(pepper: Uint8Array, accountId: string): PreloginReply {
  const h = keyedHash(pepper, 'nook/relay/prelogin/v1', accountId);
  return { kdf: FAKE_PROFILES[(h[16] ?? 0) & 1]!, salt: h.subarray(0, 16).toString('base64') };
}

/** Constant-time comparison of the operator's sign-up code. */
function signupCodeMatches(expected: string, given: string | undefined): boolean {
  return given !== undefined && safeEqual(Buffer.from(expected), Buffer.from(given));
}

/** Registers the account routes. */
export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const { config } = app.relay;
  const authLimit = { rateLimit: { max: config.limits.loginPerIpPerMinute, timeWindow: 60_000 } };
  const authBodyLimit = 32 * 1024;

  /** Per-account-id attempt limit (known and unknown ids alike). */
  const limitAccount = (accountId: string) => {
    const wait = app.relay.loginLimiter.hit(accountId, app.relay.now());
    if (wait > 0) throw errors.tooManyAttempts(wait);
  };

  app.post<{ Body: CreateAccountBody }>(
    '/v1/accounts',
    {
      config: authLimit,
      bodyLimit: authBodyLimit,
      schema: {
        tags: ['accounts'],
        body: CreateAccountBody,
        response: responses({ 201: CreateAccountReply }),
      },
    },
    async (req, reply) => {
      const { accountId, authKey, kdf, salt, wrappedAccountKey, signupSecret } = req.body;
      if (
        config.signupSecret !== undefined &&
        !signupCodeMatches(config.signupSecret, signupSecret)
      ) {
        throw new RelayError(
          ERROR_CODES.forbidden,
          403,
          'This relay needs a sign-up code from its operator.',
        );
      }
      const createdAt = app.relay.now();
      const verifier = await app.relay.verifier.create(fromB64(authKey));
      await app.relay.store.createAccount({
        id: accountId,
        verifier,
        kdf,
        salt,
        wrappedAccountKey,
        createdAt,
      });
      await app.relay.audit(accountId, 'account-created', req);
      return reply.status(201).send({ accountId, createdAt });
    },
  );

  app.post<{ Body: PreloginBody }>(
    '/v1/prelogin',
    {
      config: authLimit,
      bodyLimit: authBodyLimit,
      schema: {
        tags: ['accounts'],
        body: PreloginBody,
        response: responses({ 200: PreloginReply }),
      },
    },
    async (req) => {
      const account = await app.relay.store.getAccount(req.body.accountId);
      if (account === undefined) return fakePrelogin(config.pepper, req.body.accountId);
      return { kdf: account.kdf, salt: account.salt };
    },
  );

  app.post<{ Body: LoginBody }>(
    '/v1/login',
    {
      config: authLimit,
      bodyLimit: authBodyLimit,
      schema: { tags: ['accounts'], body: LoginBody, response: responses({ 200: LoginReply }) },
    },
    async (req) => {
      const { accountId, authKey, device } = req.body;
      limitAccount(accountId);
      const account = await verifyAuthKey(app, req, accountId, fromB64(authKey));
      const { store } = app.relay;
      const now = app.relay.now();
      if (account.failedLogins > 0) await store.resetLoginFailures(accountId);
      await store.upsertDevice({ accountId, id: device.id, name: device.name, now });
      const session = await app.relay.sessions.issue(accountId, device.id);
      await app.relay.audit(accountId, 'login', req, device.id);
      return {
        session,
        kdf: account.kdf,
        salt: account.salt,
        wrappedAccountKey: account.wrappedAccountKey,
      };
    },
  );

  app.post<{ Body: RefreshBody }>(
    '/v1/token/refresh',
    {
      config: authLimit,
      bodyLimit: authBodyLimit,
      schema: { tags: ['accounts'], body: RefreshBody, response: responses({ 200: SessionReply }) },
    },
    async (req) => {
      const session = await app.relay.sessions.refresh(req.body.refreshToken);
      await app.relay.store.touchDevice(
        session.accountId,
        session.deviceId,
        app.relay.now(),
        false,
      );
      return session;
    },
  );

  app.post(
    '/v1/logout',
    {
      onRequest: requireAuth,
      schema: { tags: ['accounts'], security: bearer, response: responses({ 200: OkBody }) },
    },
    async (req) => {
      const s = sessionOf(req);
      await app.relay.store.revokeFamily(s.accountId, s.familyId, app.relay.now());
      app.relay.sockets.closeFamily(s.accountId, s.familyId, 4401, 'logged out');
      await app.relay.audit(s.accountId, 'logout', req, s.deviceId);
      return { ok: true as const };
    },
  );
}

/**
 * Checks an authKey against the stored verifier, with the lockout and failure counter.
 * Unknown ids spend the same Argon2id work and get the same 401 as a wrong key.
 */
export async function verifyAuthKey(
  app: FastifyInstance,
  req: FastifyRequest,
  accountId: string,
  authKey: Uint8Array,
) {
  const { store, verifier, config, now } = app.relay;
  const account = await store.getAccount(accountId);
  if (account === undefined) {
    await verifier.burn(authKey);
    throw errors.invalidCredentials();
  }
  const t = now();
  if (account.lockedUntil > t)
    throw errors.tooManyAttempts(Math.ceil((account.lockedUntil - t) / 1000));
  if (!(await verifier.verify(authKey, account.verifier))) {
    await store.recordLoginFailure(
      accountId,
      config.limits.maxFailedLogins,
      t + config.limits.lockoutMs,
    );
    await app.relay.audit(accountId, 'login-failed', req, req.session?.deviceId ?? null);
    throw errors.invalidCredentials();
  }
  return account;
}
