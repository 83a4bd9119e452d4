import Docker from 'dockerode';
import { createBoxRegistry, type Box } from './boxes';
import {
  DEFAULT_RESOURCES,
  LABEL_ACCOUNT,
  LABEL_INSTANCE,
  LABEL_SANDBOX,
  SANDBOX_HOME,
  SANDBOX_USER,
  SUPERVISOR_CMD,
  containerCreateOptions,
  sandboxLabels,
  type SandboxResources,
} from './container-spec';
import { getFile, putFile, statusOf, type ArchiveContainer } from './docker-files';
import { SandboxError } from './errors';
import { validateWorkspacePath } from './paths';
import { executeRun, validateRun } from './run-exec';
import { createRunQueue } from './run-queue';
import {
  DEFAULT_SANDBOX_LIMITS,
  type ReconcileReport,
  type RunOptions,
  type RunResult,
  type SandboxLimits,
  type SandboxRunner,
} from './runner';
import { createSupervisorConnection, type SupervisorConnection } from './supervisor-client';

/** Configuration of the Docker-backed runner. Only `image` is required. */
export interface DockerRunnerConfig {
  /** Image tag printed by scripts/build-sandbox-image.sh. */
  image: string;
  /** dockerode connection options (default: /var/run/docker.sock). */
  docker?: Docker.DockerOptions;
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

const CONTROL_TIMEOUT_MS = 30_000;

/** Creates the Docker-backed `SandboxRunner`: one hardened container + volume per account. */
export function createDockerRunner(config: DockerRunnerConfig): SandboxRunner {
  if (typeof config.image !== 'string' || !/^[\w./:-]+$/.test(config.image)) {
    throw new SandboxError('bad-request', 'The sandbox image tag is missing or invalid.');
  }
  const docker = new Docker(config.docker ?? {});
  const instance = config.instance ?? 'default';
  if (!/^[a-z0-9-]{1,20}$/.test(instance)) {
    throw new SandboxError('bad-request', 'The sandbox instance name must be [a-z0-9-]{1,20}.');
  }
  const key = config.accountKey ?? 'nook-sandbox';
  const limits: SandboxLimits = { ...DEFAULT_SANDBOX_LIMITS, ...config.limits };
  const resources: SandboxResources = { ...DEFAULT_RESOURCES, ...config.resources };
  const idleMs = config.idleMs ?? 10 * 60_000;
  const graceMs = config.graceMs ?? 2_000;
  const queue = createRunQueue({
    queueLength: limits.queueLength,
    maxConcurrent: limits.maxConcurrentRuns,
  });
  const registry = createBoxRegistry({ instance, key });
  let closed = false;
  const idleCheckMs = config.idleCheckIntervalMs ?? 60_000;
  const idleTimer =
    idleCheckMs > 0
      ? setInterval(() => void runner.stopIdle().catch(() => undefined), idleCheckMs)
      : undefined;
  idleTimer?.unref();

  function boxFor(account: string): Box {
    if (closed) throw new SandboxError('closed', 'The sandbox runner is closed.');
    return registry.forAccount(account);
  }
  const locked = registry.locked;

  async function inspect(name: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await docker.getContainer(name).inspect();
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw unavailable('Docker is not reachable.', err);
    }
  }

  async function createContainer(b: Box): Promise<void> {
    const labels = sandboxLabels(instance, b.hash);
    try {
      await docker.createVolume({ Name: b.name, Labels: labels });
      const opts = containerCreateOptions({
        name: b.name,
        image: config.image,
        volume: b.name,
        labels,
        resources,
        ...(config.runtime ? { runtime: config.runtime } : {}),
      });
      // CgroupnsMode is a real HostConfig field (API 1.41) missing from @types/dockerode.
      await docker.createContainer(opts as Docker.ContainerCreateOptions);
    } catch (err) {
      throw unavailable('The sandbox could not be created.', err);
    }
  }

  /** The account's supervisor connection, creating/starting the container when needed. */
  function connection(b: Box): Promise<SupervisorConnection> {
    return locked(b, async () => {
      if (b.conn && !b.conn.closed) return b.conn;
      let info = await inspect(b.name);
      if (info && info.Config.Image !== config.image) {
        // Built from an older image: replace the container, keep the volume (the files).
        try {
          await docker.getContainer(b.name).remove({ force: true });
        } catch (err) {
          if (statusOf(err) !== 404)
            throw unavailable('The old sandbox could not be removed.', err);
        }
        info = undefined;
      }
      if (!info) await createContainer(b);
      const container = docker.getContainer(b.name);
      if (!info?.State.Running) {
        try {
          await container.start();
        } catch (err) {
          if (statusOf(err) !== 304) throw unavailable('The sandbox could not start.', err);
        }
      }
      b.conn = await connect(container);
      b.lastUsed = Date.now();
      return b.conn;
    });
  }

  async function connect(container: Docker.Container): Promise<SupervisorConnection> {
    if (config.transport !== 'exec') {
      try {
        const stream = await container.attach({
          stream: true,
          stdin: true,
          stdout: true,
          stderr: true,
          hijack: true,
        });
        return await hello(createSupervisorConnection(stream));
      } catch {
        // Fall through to the exec fallback: a fresh supervisor via `docker exec`.
      }
    }
    try {
      const exec = await container.exec({
        Cmd: [...SUPERVISOR_CMD, '--once'],
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        User: SANDBOX_USER,
        WorkingDir: SANDBOX_HOME,
      });
      const stream = await exec.start({ hijack: true, stdin: true });
      return await hello(createSupervisorConnection(stream));
    } catch (err) {
      throw unavailable('The sandbox supervisor did not answer.', err);
    }
  }

  async function hello(conn: SupervisorConnection): Promise<SupervisorConnection> {
    try {
      const r = await conn.request({ op: 'hello' }, 15_000);
      if (r.ok !== true || r.version !== 1) throw unavailable('Unexpected supervisor version.');
      return conn;
    } catch (err) {
      conn.close();
      throw err;
    }
  }

  /** Last resort when the supervisor misbehaves: the whole container goes. */
  async function kill(b: Box): Promise<void> {
    b.conn?.close();
    b.conn = undefined;
    try {
      await docker.getContainer(b.name).kill();
    } catch {
      // Already stopped or gone: the goal is reached either way.
    }
  }

  async function control(b: Box, message: Record<string, unknown>) {
    const conn = await connection(b);
    const reply = await conn.request(message, CONTROL_TIMEOUT_MS);
    b.lastUsed = Date.now();
    if (reply.ok === true) return reply;
    if (reply.code === 'bad-path') throw new SandboxError('bad-path', 'Invalid workspace path.');
    if (reply.code === 'not-found')
      throw new SandboxError('not-found', 'No such file in the workspace.');
    throw new SandboxError('bad-path', 'The workspace refused the operation at that path.');
  }

  async function usage(b: Box): Promise<number> {
    const r = await control(b, { op: 'usage' });
    b.usedBytes = typeof r.usedBytes === 'number' ? r.usedBytes : null;
    return b.usedBytes ?? 0;
  }

  async function removeAll(b: Box): Promise<void> {
    await locked(b, async () => {
      b.conn?.close();
      b.conn = undefined;
      b.usedBytes = null;
      try {
        await docker.getContainer(b.name).remove({ force: true, v: false });
      } catch (err) {
        if (statusOf(err) !== 404) throw unavailable('The sandbox could not be removed.', err);
      }
      try {
        await docker.getVolume(b.name).remove();
      } catch (err) {
        if (statusOf(err) !== 404) throw unavailable('The workspace could not be removed.', err);
      }
    });
  }

  const runner: SandboxRunner = {
    async ensure(account) {
      await connection(boxFor(account));
    },

    async run(account: string, options: RunOptions): Promise<RunResult> {
      const b = boxFor(account);
      const req = validateRun(options, limits);
      const release = await queue.acquire(b.hash);
      b.activeRuns++;
      try {
        const conn = await connection(b);
        if (b.usedBytes !== null && b.usedBytes > limits.workspaceQuotaBytes) {
          if ((await usage(b)) > limits.workspaceQuotaBytes) {
            throw new SandboxError('quota-exceeded', 'The workspace is full: delete files first.');
          }
        }
        const { result, usedBytes, misbehaved, error } = await executeRun(conn, req, {
          outputCapBytes: limits.outputCapBytes,
          quotaBytes: limits.workspaceQuotaBytes,
          memoryBytes: limits.runMemoryBytes ?? runMemoryDefault(resources.memoryBytes),
          graceMs,
          onOutput: options.onOutput,
        });
        if (usedBytes !== undefined) b.usedBytes = usedBytes;
        if (misbehaved) await kill(b);
        if (error) throw error;
        if (conn.closed && !misbehaved) {
          // The run took the supervisor down with it (e.g. `kill -9 -1`, or the container
          // hit its memory limit): report how, and start fresh next time.
          const info = await inspect(b.name);
          result.oomKilled = result.oomKilled || info?.State.OOMKilled === true;
        }
        return result;
      } finally {
        b.activeRuns--;
        b.lastUsed = Date.now();
        release();
      }
    },

    async listFiles(account) {
      const b = boxFor(account);
      if (!(await inspect(b.name))) return { files: [], truncated: false };
      const r = await control(b, { op: 'list' });
      const files = Array.isArray(r.files)
        ? (r.files as Awaited<ReturnType<SandboxRunner['listFiles']>>['files'])
        : [];
      return { files, truncated: r.truncated === true };
    },

    async upload(account, path, bytes) {
      const { path: rel, segments } = validateWorkspacePath(path);
      if (bytes.length > limits.maxUploadBytes) {
        throw new SandboxError('too-large', 'The file is over the upload limit.');
      }
      const b = boxFor(account);
      const used = await usage(b);
      if (used + bytes.length > limits.workspaceQuotaBytes) {
        throw new SandboxError('quota-exceeded', 'The workspace is full: delete files first.');
      }
      // Parents are made by the supervisor as uid 1000 without following symlinks; a
      // symlinked parent makes this fail instead of writing through it.
      if (segments.length > 1) await control(b, { op: 'mkdirs', path: rel });
      const dir = [SANDBOX_HOME, ...segments.slice(0, -1)].join('/');
      const container = docker.getContainer(b.name) as unknown as ArchiveContainer;
      await putFile(container, dir, segments[segments.length - 1] ?? '', bytes);
      b.usedBytes = used + bytes.length;
      b.lastUsed = Date.now();
    },

    async download(account, path) {
      const { path: rel } = validateWorkspacePath(path);
      const b = boxFor(account);
      if (!(await inspect(b.name)))
        throw new SandboxError('not-found', 'No such file in the workspace.');
      const container = docker.getContainer(b.name) as unknown as ArchiveContainer;
      const bytes = await getFile(container, `${SANDBOX_HOME}/${rel}`, limits.maxDownloadBytes);
      b.lastUsed = Date.now();
      return bytes;
    },

    async deleteFile(account, path) {
      const { path: rel } = validateWorkspacePath(path);
      const b = boxFor(account);
      if (!(await inspect(b.name)))
        throw new SandboxError('not-found', 'No such file in the workspace.');
      await control(b, { op: 'delete', path: rel });
      await usage(b);
    },

    async status(account) {
      const b = boxFor(account);
      const info = await inspect(b.name);
      const quotaBytes = limits.workspaceQuotaBytes;
      if (!info) return { state: 'absent', usedBytes: null, quotaBytes };
      if (!info.State.Running) return { state: 'stopped', usedBytes: b.usedBytes, quotaBytes };
      const usedBytes = b.conn && !b.conn.closed ? await usage(b) : b.usedBytes;
      return { state: 'running', usedBytes, quotaBytes };
    },

    async stopIdle() {
      let stopped = 0;
      const now = Date.now();
      for (const b of registry.all()) {
        if (b.activeRuns > 0 || now - b.lastUsed < idleMs) continue;
        await locked(b, async () => {
          if (b.activeRuns > 0) return;
          const info = await inspect(b.name);
          if (!info?.State.Running) return;
          b.conn?.close();
          b.conn = undefined;
          try {
            await docker.getContainer(b.name).stop({ t: 1 });
            stopped++;
          } catch (err) {
            if (statusOf(err) !== 304 && statusOf(err) !== 404)
              throw unavailable('Stop failed.', err);
          }
        });
      }
      return stopped;
    },

    reset: (account) => removeAll(boxFor(account)),

    async removeAccount(account) {
      const b = boxFor(account);
      await removeAll(b);
      if (b.activeRuns === 0) registry.delete(b.hash);
    },

    async reconcile(): Promise<ReconcileReport> {
      const filters = { label: [`${LABEL_SANDBOX}=1`, `${LABEL_INSTANCE}=${instance}`] };
      let removed = 0;
      const containers = await docker.listContainers({ all: true, filters });
      for (const c of containers) {
        const hash = c.Labels[LABEL_ACCOUNT];
        const broken = c.State === 'dead' || c.State === 'removing' || c.State === 'created';
        if (!hash || c.Image !== config.image || broken) {
          await docker
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => undefined);
          removed++;
          continue;
        }
        // Found running after a relay restart: it idles out like any other.
        registry.byHash(hash).lastUsed = Date.now();
      }
      const volumes = (await docker.listVolumes({ filters })).Volumes ?? [];
      return { containers: containers.length - removed, volumes: volumes.length, removed };
    },

    async close() {
      closed = true;
      if (idleTimer) clearInterval(idleTimer);
      queue.close();
      for (const b of registry.all()) {
        b.conn?.close();
        b.conn = undefined;
      }
    },
  };
  return runner;
}

function unavailable(message: string, cause?: unknown): SandboxError {
  return new SandboxError('unavailable', message, cause === undefined ? undefined : { cause });
}

/**
 * The supervisor's per-run memory watchdog defaults to 3/4 of the container's limit. Near
 * the cgroup limit the kernel first evicts file-backed pages (the interpreter's own code)
 * and the run can thrash for many seconds before the OOM killer acts (seen under load:
 * a Node memory bomb ran to its deadline); killing at 3/4 of the limit, by resident
 * anonymous memory, ends it at once and leaves room for the supervisor and page cache.
 */
export function runMemoryDefault(containerMemoryBytes: number): number {
  return Math.floor((containerMemoryBytes * 3) / 4);
}
