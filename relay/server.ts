/**
 * The relay process: load config from the environment, listen (HTTPS when given a cert),
 * shut down gracefully on SIGTERM/SIGINT. `npm run relay` runs this file.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';

/** How long open requests may take to finish after a stop signal. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Builds and starts the relay; resolves with the app and its address. */
export async function startServer(
  env: Record<string, string | undefined> = process.env,
): Promise<{ app: FastifyInstance; address: string }> {
  const config = loadConfig(env);
  const https =
    config.tls === undefined
      ? undefined
      : { cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) };
  const app = await buildApp(config, https === undefined ? {} : { https });
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
