/**
 * Test fixtures for relay tests (not a test file itself): a fast config, an app on a
 * temporary SQLite file, and a signed-up, logged-in account.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { LoginReply } from '../shared/protocol';
import { buildApp, type RelayDeps } from './app';
import type { RelayConfig } from './config';

type Overrides = Partial<Omit<RelayConfig, 'limits' | 'tokens'>> & {
  limits?: Partial<RelayConfig['limits']>;
  tokens?: Partial<RelayConfig['tokens']>;
};

/** A config with tiny Argon2id cost and generous limits; `dataDir` is a fresh temp dir. */
export function testConfig(o: Overrides = {}): RelayConfig {
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nook-relay-'));
  return {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    databaseUrl: undefined,
    pepper: new Uint8Array(randomBytes(32)),
    tls: undefined,
    trustProxy: false,
    logLevel: 'silent',
    wsAuthTimeoutMs: 5000,
    pgChannel: 'nook_relay_seq',
    signupSecret: undefined,
    argon2: { memoryKiB: 64, iterations: 1, parallelism: 1 },
    ...o,
    limits: {
      bodyBytes: 4 * 1024 * 1024,
      maxEnvelopeBytes: 1024 * 1024,
      maxOpsPerPush: 500,
      ratePerMinute: 100_000,
      loginPerIpPerMinute: 100_000,
      loginPerAccountPerMinute: 100_000,
      maxFailedLogins: 1000,
      lockoutMs: 60_000,
      ...o.limits,
    },
    tokens: { accessTtlMs: 900_000, refreshTtlMs: 86_400_000, ...o.tokens },
  };
}

/** Builds an app on a temp SQLite file; `cleanup` closes it and removes the directory. */
export async function makeApp(o: Overrides = {}, deps: RelayDeps = {}) {
  const config = testConfig(o);
  const app = await buildApp(config, deps);
  return {
    app,
    config,
    cleanup: async () => {
      await app.close();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

export const randomId = () => randomBytes(16).toString('hex');
export const randomKey = () => randomBytes(32).toString('base64');
export const kdf = { alg: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4 } as const;

export interface TestAccount {
  accountId: string;
  authKey: string;
  deviceId: string;
  accessToken: string;
  refreshToken: string;
  salt: string;
  wrappedAccountKey: string;
  auth: { authorization: string };
}

/** Creates an account and logs one device in. */
export async function signUp(
  app: FastifyInstance,
  o: { deviceId?: string } = {},
): Promise<TestAccount> {
  const accountId = randomId();
  const authKey = randomKey();
  const salt = randomBytes(16).toString('base64');
  const wrappedAccountKey = randomBytes(60).toString('base64');
  const created = await app.inject({
    method: 'POST',
    url: '/v1/accounts',
    payload: { accountId, authKey, kdf, salt, wrappedAccountKey },
  });
  if (created.statusCode !== 201) throw new Error(`sign-up failed: ${created.body}`);
  const session = await login(app, accountId, authKey, o.deviceId ?? randomId());
  return { accountId, authKey, salt, wrappedAccountKey, ...session };
}

/** Logs a device in and returns its tokens. */
export async function login(
  app: FastifyInstance,
  accountId: string,
  authKey: string,
  deviceId = randomId(),
) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/login',
    payload: { accountId, authKey, device: { id: deviceId, name: 'Test browser' } },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  const body = res.json<LoginReply>();
  return {
    deviceId,
    accessToken: body.session.accessToken,
    refreshToken: body.session.refreshToken,
    auth: { authorization: `Bearer ${body.session.accessToken}` },
  };
}

/** Trades a refresh token for a new session (POST /v1/token/refresh). */
export function refreshSession(app: FastifyInstance, refreshToken: string) {
  return app.inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken } });
}

/** Deletes `acc`'s account (DELETE /v1/account), proving it with `authKey`. */
export function deleteAccount(app: FastifyInstance, acc: TestAccount, authKey = acc.authKey) {
  return app.inject({
    method: 'DELETE',
    url: '/v1/account',
    headers: acc.auth,
    payload: { authKey },
  });
}

/** A push op with a random opaque envelope. */
export function pushOp(id: string, o: Record<string, unknown> = {}) {
  return {
    opId: randomId(),
    collection: 'messages',
    id,
    baseRevision: 0,
    revision: 1,
    deleted: false,
    envelope: randomBytes(64).toString('base64'),
    ...o,
  };
}
