import { createHmac } from 'node:crypto';

/**
 * Names, labels and the hardened create options of an account's sandbox container, as
 * plain objects (docker-runner.ts hands them to dockerode). Kept apart so the hardening is
 * reviewable in one place and unit-testable without a daemon.
 */

/** Where the account's volume is mounted; the image's user 1000 owns it. */
export const SANDBOX_HOME = '/home/sandbox';
export const SANDBOX_USER = '1000:1000';
export const SUPERVISOR_CMD = ['python3', '-I', '-u', '/opt/nook/supervisor.py'] as const;
export const LABEL_SANDBOX = 'nook.sandbox';
export const LABEL_ACCOUNT = 'nook.account';
export const LABEL_INSTANCE = 'nook.instance';

/** Container resources; defaults in `DEFAULT_RESOURCES`. */
export interface SandboxResources {
  memoryBytes: number;
  nanoCpus: number;
  pidsLimit: number;
  tmpBytes: number;
  nofile: number;
  /** RLIMIT_FSIZE: no single file (or write) may grow past this. */
  maxFileBytes: number;
}

/** Default resources per sandbox. */
export const DEFAULT_RESOURCES: SandboxResources = {
  memoryBytes: 512 * 1024 * 1024,
  nanoCpus: 1_000_000_000,
  pidsLimit: 128,
  tmpBytes: 64 * 1024 * 1024,
  nofile: 1024,
  maxFileBytes: 256 * 1024 * 1024,
};

/**
 * The account id as Docker sees it: HMAC-SHA256 under the relay's key, so container names,
 * labels and volume names never reveal which account they belong to.
 */
export function accountHash(account: string, key: string): string {
  return createHmac('sha256', key).update(`nook/sandbox/v1\0${account}`).digest('hex');
}

/** Container and volume name for an account hash (short, stable, Docker-safe). */
export function sandboxName(instance: string, hash: string): string {
  return `nook-sbx-${instance}-${hash.slice(0, 24)}`;
}

/** Labels on the container and the volume, used by `reconcile()`. */
export function sandboxLabels(instance: string, hash: string): Record<string, string> {
  return { [LABEL_SANDBOX]: '1', [LABEL_INSTANCE]: instance, [LABEL_ACCOUNT]: hash };
}

/** Everything `docker create` gets. No env secrets, no socket, no network. */
export function containerCreateOptions(input: {
  name: string;
  image: string;
  volume: string;
  labels: Record<string, string>;
  resources: SandboxResources;
  runtime?: string;
}) {
  const r = input.resources;
  const hostConfig = {
    NetworkMode: 'none',
    ReadonlyRootfs: true,
    Tmpfs: { '/tmp': `rw,nosuid,nodev,size=${r.tmpBytes},mode=1777` },
    Mounts: [{ Type: 'volume' as const, Source: input.volume, Target: SANDBOX_HOME }],
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges:true'],
    PidsLimit: r.pidsLimit,
    Memory: r.memoryBytes,
    MemorySwap: r.memoryBytes, // = Memory: no swap on top
    NanoCpus: r.nanoCpus,
    Ulimits: [
      { Name: 'nofile', Soft: r.nofile, Hard: r.nofile },
      { Name: 'fsize', Soft: r.maxFileBytes, Hard: r.maxFileBytes },
      { Name: 'core', Soft: 0, Hard: 0 },
    ],
    Init: true,
    IpcMode: 'private',
    CgroupnsMode: 'private',
    LogConfig: { Type: 'none', Config: {} },
    RestartPolicy: { Name: 'no' },
    Privileged: false,
    ...(input.runtime ? { Runtime: input.runtime } : {}),
  };
  return {
    name: input.name,
    Image: input.image,
    Cmd: [...SUPERVISOR_CMD],
    User: SANDBOX_USER,
    WorkingDir: SANDBOX_HOME,
    Hostname: 'sandbox',
    Env: ['HOME=/home/sandbox', 'PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8'],
    Labels: input.labels,
    NetworkDisabled: true,
    // The supervisor reads requests from stdin over the attach stream: keep it open.
    OpenStdin: true,
    StdinOnce: false,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    StopTimeout: 1,
    HostConfig: hostConfig,
  };
}
