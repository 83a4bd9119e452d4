/**
 * The relay as a Fastify app: plugins, then services, then routes. Never listens (server.ts
 * does), so tests drive it with `app.inject` and real sockets alike.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { DestinationStream } from 'pino';
import { ERROR_CODES, PROTOCOL_VERSION, SANDBOX_WIRE_LIMITS, WS_CLOSE } from '../shared/protocol';
import { createAttemptLimiter } from './auth/attempt-limiter';
import { createSessionService } from './auth/sessions';
import { createVerifier } from './auth/verifier';
import type { RelayConfig } from './config';
import { installErrorHandlers } from './error-handler';
import { installValidator } from './validator';
import { RelayError } from './errors';
import { createLocalNotifier, type SeqNotifier } from './notify/notifier';
import { createPgNotifier } from './notify/pg-notifier';
import { createSocketRegistry, type SocketRegistry } from './notify/socket-registry';
import { accountRoutes } from './routes/accounts';
import { signedInRoutes } from './routes/account';
import { healthRoutes } from './routes/health';
import { sandboxRoutes } from './routes/sandbox';
import { syncRoutes } from './routes/sync';
import { wsRoutes } from './routes/ws';
import { DEFAULT_SANDBOX_LIMITS, type SandboxRunner } from './sandbox/runner';
import {
  auditWith,
  type AccountDeletedHook,
  type RelayServices,
  type SandboxService,
} from './services';
import { openStore } from './store';
import { pgClientConfig } from './store/postgres-store';
import type { RelayStore } from './store/types';

/** Optional collaborators; anything not given is created from the config (and closed with the app). */
export interface RelayDeps {
  store?: RelayStore;
  notifier?: SeqNotifier;
  /** Where pino writes (tests capture it to prove nothing secret is logged). */
  logStream?: DestinationStream;
  now?: () => number;
  onAccountDeleted?: AccountDeletedHook;
  /**
   * The code sandbox. A runner turns it on (the caller owns it: the app never closes it, and
   * account deletion calls `runner.removeAccount` before `onAccountDeleted`); `{ offReason }`
   * or nothing leaves it off and its routes answer 503.
   */
  sandbox?: SandboxDeps;
  /**
   * Extra route plugins (e.g. the sandbox), registered after the core routes. They see
   * `app.relay` and can guard routes with `requireAuth` from services.ts.
   */
  routes?: FastifyPluginAsync[];
  /** Extra options for Fastify's HTTP server (server.ts passes `https`). */
  https?: { cert: Buffer; key: Buffer };
}

/** How the app gets its sandbox (see `RelayDeps.sandbox`). */
export type SandboxDeps =
  | {
      runner: SandboxRunner;
      /** Largest upload body; match the runner's `maxUploadBytes` (default 32 MiB). */
      maxUploadBytes?: number;
    }
  | { offReason: string };

/** Why the sandbox is off when nobody said. */
const SANDBOX_NOT_CONFIGURED = 'no sandbox image is configured (NOOK_SANDBOX_IMAGE)';

function sandboxService(deps: SandboxDeps | undefined): SandboxService {
  if (deps === undefined) return { state: 'off', reason: SANDBOX_NOT_CONFIGURED };
  if ('offReason' in deps) return { state: 'off', reason: deps.offReason };
  return {
    state: 'on',
    runner: deps.runner,
    maxUploadBytes: deps.maxUploadBytes ?? DEFAULT_SANDBOX_LIMITS.maxUploadBytes,
  };
}

/** Account deletion removes the sandbox first: a failure leaves the account intact to retry. */
function accountDeletedHook(
  sandbox: SandboxService,
  next: AccountDeletedHook | undefined,
): AccountDeletedHook | undefined {
  if (sandbox.state === 'off') return next;
  return async (accountId) => {
    await sandbox.runner.removeAccount(accountId);
    if (next !== undefined) await next(accountId);
  };
}

const HOUR = 3_600_000;
const OP_ID_RETENTION_MS = 30 * 24 * HOUR;

const SANDBOX_FILES = '/v1/sandbox/files/';

/** Sandbox file names are user content: the log keeps only the route. */
function redactPath(path: string): string {
  return path.startsWith(SANDBOX_FILES) ? `${SANDBOX_FILES}[redacted]` : path;
}

/** Logger options: no bodies, no auth headers, no client IPs (those exist only as keyed tags). */
function loggerOptions(config: RelayConfig, stream: DestinationStream | undefined) {
  return {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.body',
        'res.body',
        'body',
        '*.authKey',
        '*.token',
        '*.accessToken',
        '*.refreshToken',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method?: string; url?: string; id?: unknown }) => ({
        id: req.id,
        method: req.method,
        path: redactPath((req.url ?? '').split('?')[0] ?? ''),
      }),
    },
    ...(stream === undefined ? {} : { stream }),
  };
}

/** Builds the relay app. Call `app.close()` to release everything it created. */
export async function buildApp(
  config: RelayConfig,
  deps: RelayDeps = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config, deps.logStream),
    bodyLimit: config.limits.bodyBytes,
    trustProxy: config.trustProxy,
    ...(deps.https === undefined ? {} : { https: deps.https }),
    // With `https` Fastify's type becomes FastifyInstance<https.Server>; routes only use the
    // server-agnostic surface, so one instance type is used throughout.
  }) as unknown as FastifyInstance;

  const now = deps.now ?? Date.now;
  const store = deps.store ?? (await openStore(config));
  let notifier = deps.notifier;
  if (notifier === undefined) {
    notifier =
      store.kind === 'postgres' && config.databaseUrl !== undefined
        ? await createPgNotifier({
            clientConfig: pgClientConfig({ url: config.databaseUrl }),
            channel: config.pgChannel,
            onError: (err) => app.log.warn({ err }, 'LISTEN/NOTIFY connection problem'),
          })
        : createLocalNotifier();
  }
  const sockets = createSocketRegistry();
  const sandbox = sandboxService(deps.sandbox);
  const services: RelayServices = {
    config,
    store,
    notifier,
    sockets,
    now,
    verifier: createVerifier(config.argon2, config.pepper),
    loginLimiter: createAttemptLimiter(config.limits.loginPerAccountPerMinute, 60_000),
    onAccountDeleted: accountDeletedHook(sandbox, deps.onAccountDeleted),
    sandbox,
    audit: auditWith(store, config.pepper, now),
    sessions: createSessionService({
      store,
      accessTtlMs: config.tokens.accessTtlMs,
      refreshTtlMs: config.tokens.refreshTtlMs,
      now,
      onReuse: (accountId, deviceId) =>
        store.appendAudit({ accountId, event: 'token-reuse', at: now(), deviceId, ipTag: null }),
    }),
  };
  app.decorate('relay', services);
  app.decorateRequest('session', null);

  // Housekeeping: expired tokens and old op ids. unref() so it never keeps the process alive.
  const sweep = async () => {
    await store.deleteExpiredTokens(now() - config.tokens.refreshTtlMs);
    await store.pruneOpIds(now() - OP_ID_RETENTION_MS);
  };
  const timer = setInterval(() => {
    sweep().catch((err: unknown) => app.log.warn({ err }, 'housekeeping failed'));
  }, HOUR);
  timer.unref();

  // Registered before any plugin so a failed start still releases what it opened.
  app.addHook('onClose', async () => {
    clearInterval(timer);
    if (deps.notifier === undefined) await notifier.close();
    if (deps.store === undefined) await store.close();
  });
  try {
    await registerAll(app, config, sockets, deps.routes ?? [], sandbox.state === 'on');
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }

  return app;
}

/** Plugins first (error handling, headers, limits, OpenAPI, WebSocket), then routes. */
async function registerAll(
  app: FastifyInstance,
  config: RelayConfig,
  sockets: SocketRegistry,
  routes: FastifyPluginAsync[],
  sandboxOn: boolean,
): Promise<void> {
  // JSON only: a text/plain body would otherwise reach validation as a string.
  app.removeContentTypeParser('text/plain');
  installErrorHandlers(app);
  await app.register(helmet);
  await app.register(rateLimit, {
    max: config.limits.ratePerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, ctx) => {
      const retryAfter = Math.max(1, Math.ceil(ctx.ttl / 1000));
      return new RelayError(
        ERROR_CODES.rateLimited,
        429,
        `Too many requests. Try again in ${retryAfter} s.`,
        retryAfter,
      );
    },
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Nook relay', version: String(PROTOCOL_VERSION) },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(websocket, {
    // A `run` frame carries up to 64 KiB of code, which JSON escaping can grow up to six-fold
    // (`\u0001`); without a sandbox, frames stay tiny.
    options: { maxPayload: sandboxOn ? 6 * SANDBOX_WIRE_LIMITS.maxCodeBytes + 4096 : 4096 },
    // Replaces the plugin's default preClose: close every socket (authenticated or still
    // awaiting its auth frame) with 1001 so clients know to reconnect elsewhere.
    async preClose(this: FastifyInstance) {
      sockets.closeAll(WS_CLOSE.goingAway, 'server shutting down');
      for (const client of this.websocketServer.clients)
        client.close(WS_CLOSE.goingAway, 'server shutting down');
    },
  });
  installValidator(app);

  await app.register(healthRoutes);
  await app.register(accountRoutes);
  await app.register(signedInRoutes);
  await app.register(syncRoutes);
  await app.register(wsRoutes);
  await app.register(sandboxRoutes);
  for (const plugin of routes) await app.register(plugin);
}
