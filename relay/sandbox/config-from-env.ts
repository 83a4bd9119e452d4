import type { DockerRunnerConfig } from './docker-runner';

/**
 * Reads the sandbox configuration from the relay's environment. Returns undefined when
 * NOOK_SANDBOX_IMAGE is unset (the relay then runs without a sandbox).
 *
 *   NOOK_SANDBOX_IMAGE        image tag from scripts/build-sandbox-image.sh (required)
 *   NOOK_SANDBOX_ACCOUNT_KEY  HMAC key hiding account ids in Docker names/labels (a secret)
 *   NOOK_SANDBOX_RUNTIME      OCI runtime, e.g. `runsc` for gVisor
 *   NOOK_SANDBOX_IDLE_MS      stop a sandbox after this much idle time (default 10 min)
 *   DOCKER_HOST               unix:///path/to/docker.sock (default /var/run/docker.sock)
 */
export function sandboxConfigFromEnv(env: NodeJS.ProcessEnv): DockerRunnerConfig | undefined {
  const image = env.NOOK_SANDBOX_IMAGE?.trim();
  if (!image) return undefined;
  const idle = Number(env.NOOK_SANDBOX_IDLE_MS);
  const host = env.DOCKER_HOST?.trim();
  return {
    image,
    ...(env.NOOK_SANDBOX_ACCOUNT_KEY ? { accountKey: env.NOOK_SANDBOX_ACCOUNT_KEY } : {}),
    ...(env.NOOK_SANDBOX_RUNTIME ? { runtime: env.NOOK_SANDBOX_RUNTIME } : {}),
    ...(Number.isFinite(idle) && idle > 0 ? { idleMs: idle } : {}),
    ...(host?.startsWith('unix://')
      ? { docker: { socketPath: host.slice('unix://'.length) } }
      : {}),
  };
}
