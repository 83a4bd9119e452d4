/**
 * Relay configuration from environment variables, validated once at start. Every variable:
 *
 * | Variable                          | Default            | Meaning                                          |
 * |-----------------------------------|--------------------|--------------------------------------------------|
 * | NOOK_RELAY_HOST                   | 127.0.0.1          | Listen address (0.0.0.0 / :: to expose it)       |
 * | NOOK_RELAY_PORT                   | 8787               | Listen port                                      |
 * | NOOK_RELAY_DATA_DIR               | ./.data/relay      | SQLite file and the generated pepper live here   |
 * | NOOK_RELAY_DATABASE_URL           | (unset: SQLite)    | postgres://… switches to PostgreSQL              |
 * | NOOK_RELAY_PEPPER                 | (generated)        | ≥32-byte secret, hex or base64; else `pepper` file (0600) in the data dir |
 * | NOOK_RELAY_TLS_CERT / _TLS_KEY    | (unset: HTTP)      | PEM files; both or neither; enables HTTPS        |
 * | NOOK_RELAY_TRUST_PROXY            | false              | true behind a TLS proxy (X-Forwarded-For for rate limits) |
 * | NOOK_RELAY_LOG_LEVEL              | info               | fatal, error, warn, info, debug, trace, silent   |
 * | NOOK_RELAY_BODY_LIMIT_BYTES       | 8388608            | Largest request body (push, manifest)            |
 * | NOOK_RELAY_MAX_ENVELOPE_BYTES     | 1048576            | Largest record envelope (decoded)                |
 * | NOOK_RELAY_MAX_OPS_PER_PUSH       | 500                | Ops per push                                     |
 * | NOOK_RELAY_RATE_LIMIT_PER_MINUTE  | 600                | Requests per IP per minute (all routes)          |
 * | NOOK_RELAY_LOGIN_PER_IP_PER_MINUTE| 20                 | Account/prelogin/login/refresh attempts per IP per minute |
 * | NOOK_RELAY_LOGIN_PER_ACCOUNT_PER_MINUTE | 10           | Login attempts per account id per minute         |
 * | NOOK_RELAY_MAX_FAILED_LOGINS      | 10                 | Consecutive failures before a lockout            |
 * | NOOK_RELAY_LOCKOUT_SECONDS        | 900                | Lockout length                                   |
 * | NOOK_RELAY_ACCESS_TTL_SECONDS     | 900                | Access token lifetime                            |
 * | NOOK_RELAY_REFRESH_TTL_SECONDS    | 2592000            | Refresh token lifetime (30 days)                 |
 * | NOOK_RELAY_ARGON2_MEMORY_KIB      | 19456              | Verifier Argon2id memory (OWASP minimum: 19 MiB) |
 * | NOOK_RELAY_ARGON2_ITERATIONS      | 2                  | Verifier Argon2id iterations                     |
 * | NOOK_RELAY_ARGON2_PARALLELISM     | 1                  | Verifier Argon2id lanes                          |
 * | NOOK_RELAY_WS_AUTH_TIMEOUT_MS     | 5000               | Time for a WebSocket's first (auth) frame        |
 * | NOOK_RELAY_PG_CHANNEL             | nook_relay_seq     | LISTEN/NOTIFY channel for multi-instance fan-out |
 * | NOOK_RELAY_SIGNUP_SECRET          | (unset: open)      | ≥16 chars; sign-up then requires this code       |
 * | NOOK_SANDBOX                      | on                 | `off` disables the sandbox even with an image    |
 * | NOOK_SANDBOX_IMAGE                | (unset: no sandbox)| sandbox image tag (scripts/build-sandbox-image.sh) |
 * | NOOK_SANDBOX_ACCOUNT_KEY          | (generated)        | ≥32 chars; else `sandbox-account-key` (0600) in the data dir |
 * | NOOK_SANDBOX_INSTANCE             | default            | names/labels this relay's sandboxes (several relays, one daemon) |
 * | NOOK_SANDBOX_RUNTIME, _IDLE_MS, DOCKER_HOST | (see relay/sandbox/README.md) | gVisor, idle stop, daemon socket |
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sandboxConfigFromEnv } from './sandbox/config-from-env';
import type { DockerRunnerConfig } from './sandbox/docker-runner';

/** A bad environment value; the message names the variable and what is expected. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything buildApp() and the server need. Tests build it with `testConfig()`. */
export interface RelayConfig {
  host: string;
  port: number;
  dataDir: string;
  /** PostgreSQL when set; SQLite in `dataDir` otherwise. */
  databaseUrl?: string | undefined;
  /** Server secret: peppers verifiers, keys IP hashes and fake prelogin values. */
  pepper: Uint8Array;
  tls?: { certFile: string; keyFile: string } | undefined;
  trustProxy: boolean;
  logLevel: LogLevel;
  limits: {
    bodyBytes: number;
    maxEnvelopeBytes: number;
    maxOpsPerPush: number;
    ratePerMinute: number;
    loginPerIpPerMinute: number;
    loginPerAccountPerMinute: number;
    maxFailedLogins: number;
    lockoutMs: number;
  };
  tokens: { accessTtlMs: number; refreshTtlMs: number };
  argon2: { memoryKiB: number; iterations: number; parallelism: number };
  wsAuthTimeoutMs: number;
  pgChannel: string;
  /** When set, creating an account requires this code (keeps a public relay private). */
  signupSecret?: string | undefined;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}`);
  return n;
}

function bool(env: Env, name: string): boolean {
  const raw = (env[name] ?? 'false').toLowerCase();
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no', ''].includes(raw)) return false;
  throw new ConfigError(name, 'expected true or false');
}

/** Decodes a pepper given as hex or base64; at least 32 bytes. */
export function parsePepper(raw: string, variable = 'NOOK_RELAY_PEPPER'): Uint8Array {
  const s = raw.trim();
  const bytes =
    /^[0-9a-fA-F]+$/.test(s) && s.length % 2 === 0
      ? Buffer.from(s, 'hex')
      : /^[A-Za-z0-9+/_-]+=*$/.test(s)
        ? Buffer.from(s, 'base64')
        : undefined;
  if (bytes === undefined || bytes.length < 32) {
    throw new ConfigError(
      variable,
      'must be at least 32 bytes, hex or base64 (e.g. `openssl rand -hex 32`)',
    );
  }
  return new Uint8Array(bytes);
}

/**
 * Reads `DATA_DIR/<name>`, creating it (0600, 32 random bytes as hex) on first start, and
 * refuses a file others can read. `variable` is the environment variable that replaces it.
 */
export function loadOrCreateSecret(dataDir: string, name: string, variable: string): string {
  const file = path.join(dataDir, name);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if the file exists, so two instances starting at once never overwrite it.
    fs.writeFileSync(file, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const mode = fs.statSync(file).mode & 0o077;
  if (mode !== 0)
    throw new ConfigError(variable, `${file} must not be readable by others (chmod 600)`);
  return fs.readFileSync(file, 'utf8').trim();
}

/** Reads `DATA_DIR/pepper`, creating it (0600, 32 random bytes) on first start. */
export function loadOrCreatePepper(dataDir: string): Uint8Array {
  const secret = loadOrCreateSecret(dataDir, 'pepper', 'NOOK_RELAY_PEPPER');
  return parsePepper(secret, path.join(dataDir, 'pepper'));
}

/**
 * The sandbox's settings: off (with the reason, for the start-up log and the 503s) or the
 * Docker runner's configuration. `NOOK_SANDBOX=off` turns it off even with an image; the
 * account key comes from `NOOK_SANDBOX_ACCOUNT_KEY` or `DATA_DIR/sandbox-account-key`.
 */
export function loadSandboxSettings(
  env: Env,
  dataDir: string,
): { state: 'off'; reason: string } | { state: 'on'; runner: DockerRunnerConfig } {
  const sw = (env.NOOK_SANDBOX ?? '').trim().toLowerCase();
  if (!['', 'on', 'off'].includes(sw)) throw new ConfigError('NOOK_SANDBOX', 'expected on or off');
  if (sw === 'off') return { state: 'off', reason: 'NOOK_SANDBOX=off' };
  if (!env.NOOK_SANDBOX_IMAGE?.trim()) {
    return { state: 'off', reason: 'NOOK_SANDBOX_IMAGE is not set' };
  }
  if (!/^[\w./:-]+$/.test(env.NOOK_SANDBOX_IMAGE.trim())) {
    throw new ConfigError(
      'NOOK_SANDBOX_IMAGE',
      'expected an image tag such as nook-sandbox:1a2b3c',
    );
  }
  const idle = env.NOOK_SANDBOX_IDLE_MS;
  if (idle !== undefined && idle !== '' && !/^[1-9]\d{0,9}$/.test(idle)) {
    throw new ConfigError('NOOK_SANDBOX_IDLE_MS', 'expected a whole number of milliseconds');
  }
  const instance = env.NOOK_SANDBOX_INSTANCE || undefined;
  if (instance !== undefined && !/^[a-z0-9-]{1,20}$/.test(instance)) {
    throw new ConfigError('NOOK_SANDBOX_INSTANCE', 'lowercase letters, digits and - (1 to 20)');
  }
  const accountKey =
    env.NOOK_SANDBOX_ACCOUNT_KEY ||
    loadOrCreateSecret(dataDir, 'sandbox-account-key', 'NOOK_SANDBOX_ACCOUNT_KEY');
  if (accountKey.length < 32) {
    throw new ConfigError('NOOK_SANDBOX_ACCOUNT_KEY', 'must be at least 32 characters');
  }
  const runner = sandboxConfigFromEnv({ ...env, NOOK_SANDBOX_ACCOUNT_KEY: accountKey });
  if (runner === undefined) return { state: 'off', reason: 'NOOK_SANDBOX_IMAGE is not set' };
  return { state: 'on', runner: instance === undefined ? runner : { ...runner, instance } };
}

/** Parses and validates the environment. Throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env): RelayConfig {
  const host = env.NOOK_RELAY_HOST ?? '127.0.0.1';
  if (!/^[0-9a-zA-Z.:_-]+$/.test(host))
    throw new ConfigError('NOOK_RELAY_HOST', 'not a host name or address');
  const dataDir = path.resolve(env.NOOK_RELAY_DATA_DIR ?? './.data/relay');
  const databaseUrl = env.NOOK_RELAY_DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('NOOK_RELAY_DATABASE_URL', 'expected a postgres:// URL');
  }
  const cert = env.NOOK_RELAY_TLS_CERT || undefined;
  const key = env.NOOK_RELAY_TLS_KEY || undefined;
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConfigError(
      cert === undefined ? 'NOOK_RELAY_TLS_CERT' : 'NOOK_RELAY_TLS_KEY',
      'set both TLS files or neither',
    );
  }
  for (const [name, file] of [
    ['NOOK_RELAY_TLS_CERT', cert],
    ['NOOK_RELAY_TLS_KEY', key],
  ] as const) {
    if (file !== undefined && !fs.existsSync(file))
      throw new ConfigError(name, `file not found: ${file}`);
  }
  const logLevel = (env.NOOK_RELAY_LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('NOOK_RELAY_LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);
  }
  const pgChannel = env.NOOK_RELAY_PG_CHANNEL ?? 'nook_relay_seq';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(pgChannel)) {
    throw new ConfigError('NOOK_RELAY_PG_CHANNEL', 'lowercase letters, digits and _ only');
  }
  const signupSecret = env.NOOK_RELAY_SIGNUP_SECRET || undefined;
  if (signupSecret !== undefined && (signupSecret.length < 16 || signupSecret.length > 256)) {
    throw new ConfigError('NOOK_RELAY_SIGNUP_SECRET', 'must be 16 to 256 characters');
  }
  const MiB = 1024 * 1024;
  const config: RelayConfig = {
    host,
    port: int(env, 'NOOK_RELAY_PORT', 8787, 0, 65535),
    dataDir,
    databaseUrl,
    pepper: env.NOOK_RELAY_PEPPER ? parsePepper(env.NOOK_RELAY_PEPPER) : new Uint8Array(),
    tls: cert !== undefined && key !== undefined ? { certFile: cert, keyFile: key } : undefined,
    trustProxy: bool(env, 'NOOK_RELAY_TRUST_PROXY'),
    logLevel,
    limits: {
      bodyBytes: int(env, 'NOOK_RELAY_BODY_LIMIT_BYTES', 8 * MiB, 64 * 1024, 1024 * MiB),
      maxEnvelopeBytes: int(env, 'NOOK_RELAY_MAX_ENVELOPE_BYTES', MiB, 1024, 64 * MiB),
      maxOpsPerPush: int(env, 'NOOK_RELAY_MAX_OPS_PER_PUSH', 500, 1, 10_000),
      ratePerMinute: int(env, 'NOOK_RELAY_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
      loginPerIpPerMinute: int(env, 'NOOK_RELAY_LOGIN_PER_IP_PER_MINUTE', 20, 1, 100_000),
      loginPerAccountPerMinute: int(env, 'NOOK_RELAY_LOGIN_PER_ACCOUNT_PER_MINUTE', 10, 1, 100_000),
      maxFailedLogins: int(env, 'NOOK_RELAY_MAX_FAILED_LOGINS', 10, 1, 10_000),
      lockoutMs: int(env, 'NOOK_RELAY_LOCKOUT_SECONDS', 900, 0, 86_400) * 1000,
    },
    tokens: {
      accessTtlMs: int(env, 'NOOK_RELAY_ACCESS_TTL_SECONDS', 900, 10, 86_400) * 1000,
      refreshTtlMs:
        int(env, 'NOOK_RELAY_REFRESH_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400) * 1000,
    },
    argon2: {
      memoryKiB: int(env, 'NOOK_RELAY_ARGON2_MEMORY_KIB', 19_456, 8, 4 * 1024 * 1024),
      iterations: int(env, 'NOOK_RELAY_ARGON2_ITERATIONS', 2, 1, 64),
      parallelism: int(env, 'NOOK_RELAY_ARGON2_PARALLELISM', 1, 1, 16),
    },
    wsAuthTimeoutMs: int(env, 'NOOK_RELAY_WS_AUTH_TIMEOUT_MS', 5000, 100, 60_000),
    pgChannel,
    signupSecret,
  };
  if (config.limits.maxEnvelopeBytes * 1.34 + 1024 > config.limits.bodyBytes) {
    throw new ConfigError(
      'NOOK_RELAY_BODY_LIMIT_BYTES',
      'must fit at least one base64 envelope (NOOK_RELAY_MAX_ENVELOPE_BYTES × 4/3)',
    );
  }
  if (config.pepper.length === 0) config.pepper = loadOrCreatePepper(dataDir);
  return config;
}
