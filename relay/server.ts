/**
 * The relay process: load config from the environment, listen (HTTPS when given a cert),
 * shut down gracefully on SIGTERM/SIGINT. `npm run relay` runs this file.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp, type SandboxDeps } from './app';
import { ConfigError, loadConfig, loadSandboxSettings } from './config';
import { createDockerRunner } from './sandbox/docker-runner';
import { SandboxError } from './sandbox/errors';
import type { SandboxRunner } from './sandbox/runner';

/** How long open requests may take to finish after a stop signal. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How often idle sandboxes are stopped (each after its own idle time, NOOK_SANDBOX_IDLE_MS). */
const SANDBOX_IDLE_CHECK_MS = 60_000;

/** The started sandbox: what buildApp gets, the runner to close, and the one start-up line. */
interface StartedSandbox {
  deps: SandboxDeps;
  runner: SandboxRunner | undefined;
  line: string;
  /** Why the daemon could not be used (logged, never shown to clients). */
  error?: unknown;
}

/** A daemon whose socket accepts but never answers must not hold the relay's start. */
const RECONCILE_TIMEOUT_MS = 30_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * Creates the Docker runner when an image is configured and clears leftovers of an earlier
 * run (`reconcile`). A daemon that does not answer leaves the sandbox off rather than the
 * whole relay down: sync keeps working and the 503s say why.
 */
async function startSandbox(
  env: Record<string, string | undefined>,
  dataDir: string,
): Promise<StartedSandbox> {
  const settings = loadSandboxSettings(env, dataDir);
  if (settings.state === 'off') {
    return {
      deps: { offReason: settings.reason },
      runner: undefined,
      line: `sandbox: off (${settings.reason})`,
    };
  }
  let runner: SandboxRunner;
  try {
    // The server runs the idle timer itself so that failures get logged.
    runner = createDockerRunner({ ...settings.runner, idleCheckIntervalMs: 0 });
  } catch (err) {
    if (err instanceof SandboxError) throw new ConfigError('NOOK_SANDBOX_IMAGE', err.message);
    throw err;
  }
  try {
    await withTimeout(runner.reconcile(), RECONCILE_TIMEOUT_MS);
  } catch (error) {
    await runner.close().catch(() => undefined);
    const reason = 'the Docker daemon did not answer at start';
    return {
      deps: { offReason: reason },
      runner: undefined,
      line: `sandbox: off (${reason})`,
      error,
    };
  }
  return {
    deps: { runner },
    runner,
    line: `sandbox: on (image ${settings.runner.image})`,
  };
}

/** Builds and starts the relay; resolves with the app and its address. */
export async function startServer(
  env: Record<string, string | undefined> = process.env,
): Promise<{ app: FastifyInstance; address: string }> {
  const config = loadConfig(env);
  const https =
    config.tls === undefined
      ? undefined
      : { cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) };
  const sandbox = await startSandbox(env, config.dataDir);
  let app: FastifyInstance;
  try {
    app = await buildApp(config, {
      sandbox: sandbox.deps,
      ...(https === undefined ? {} : { https }),
    });
  } catch (err) {
    await sandbox.runner?.close().catch(() => undefined);
    throw err;
  }
  if (sandbox.error !== undefined) app.log.error({ err: sandbox.error }, 'sandbox unavailable');
  app.log.info(sandbox.line);
  const { runner } = sandbox;
  if (runner !== undefined) {
    const idle = setInterval(() => {
      runner.stopIdle().catch((err: unknown) => app.log.warn({ err }, 'sandbox idle stop failed'));
    }, SANDBOX_IDLE_CHECK_MS);
    idle.unref();
    // After the routes are closed: containers stay for the next start's reconcile().
    app.addHook('onClose', async () => {
      clearInterval(idle);
      await runner.close();
    });
  }
  const address = await app.listen({ host: config.host, port: config.port });
  app.log.info(
    { storage: app.relay.store.kind, tls: https !== undefined },
    https === undefined && !['127.0.0.1', '::1', 'localhost'].includes(config.host)
      ? 'relay listening without TLS on a non-loopback address: put a TLS proxy in front'
      : 'relay ready',
  );
  return { app, address };
}

async function main(): Promise<void> {
  let app: FastifyInstance;
  try {
    ({ app } = await startServer());
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`nook relay: bad configuration: ${err.message}`);
      process.exit(2);
    }
    console.error('nook relay: failed to start:', err instanceof Error ? err.message : err);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

// Importing this module (tests) runs nothing; executing it starts the relay.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
