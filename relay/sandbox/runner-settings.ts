import { DEFAULT_RESOURCES, type SandboxResources } from './container-spec';
import { SandboxError } from './errors';
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './runner';

/**
 * The Docker runner's settings: what a relay may configure, checked once, with every
 * default filled in. The dockerode connection options are added in docker-runner.ts.
 */

/** Runner settings other than the Docker connection. Only `image` is required. */
export interface DockerRunnerSettings {
  /** Image tag printed by scripts/build-sandbox-image.sh. */
  image: string;
  /** Separates relays (or test runs) sharing one daemon; part of names and labels. */
  instance?: string;
  /** HMAC key hiding account ids in container/volume names and labels. */
  accountKey?: string;
  limits?: Partial<SandboxLimits>;
  resources?: Partial<SandboxResources>;
  /** A sandbox unused this long is stopped by `stopIdle()` (files are kept). */
  idleMs?: number;
  /** Calls `stopIdle()` on this period (default 60 s); 0 disables the timer. */
  idleCheckIntervalMs?: number;
  /** OCI runtime, e.g. `runsc` for gVisor (must be registered with dockerd). */
  runtime?: string;
  /** `attach` (default: the supervisor on the attach stream) or `exec` (the fallback, forced). */
  transport?: 'attach' | 'exec';
  /** Extra time past a run's deadline before the relay kills the container itself. */
  graceMs?: number;
}

/** Validates the image tag and instance name; throws `SandboxError('bad-request')`. */
export function resolveRunnerSettings(config: DockerRunnerSettings) {
  if (typeof config.image !== 'string' || !/^[\w./:-]+$/.test(config.image)) {
    throw new SandboxError('bad-request', 'The sandbox image tag is missing or invalid.');
  }
  const instance = config.instance ?? 'default';
  if (!/^[a-z0-9-]{1,20}$/.test(instance)) {
    throw new SandboxError('bad-request', 'The sandbox instance name must be [a-z0-9-]{1,20}.');
  }
  const limits: SandboxLimits = { ...DEFAULT_SANDBOX_LIMITS, ...config.limits };
  const resources: SandboxResources = { ...DEFAULT_RESOURCES, ...config.resources };
  return {
    image: config.image,
    instance,
    key: config.accountKey ?? 'nook-sandbox',
    limits,
    resources,
    idleMs: config.idleMs ?? 10 * 60_000,
    idleCheckMs: config.idleCheckIntervalMs ?? 60_000,
    graceMs: config.graceMs ?? 2_000,
    runtime: config.runtime,
    transport: config.transport,
  };
}
