import Docker from 'dockerode';
import { createBoxRegistry, type Box } from './boxes';
import {
  LABEL_ACCOUNT,
  LABEL_INSTANCE,
  LABEL_SANDBOX,
  containerCreateOptions,
  sandboxLabels,
} from './container-spec';
import { statusOf, type ArchiveContainer } from './docker-files';
import { SandboxError, unavailable } from './errors';
import { executeRun, runMemoryDefault, validateRun } from './run-exec';
import { createRunQueue } from './run-queue';
import type { ReconcileReport, RunOptions, RunResult, SandboxRunner } from './runner';
import { resolveRunnerSettings, type DockerRunnerSettings } from './runner-settings';
import type { SupervisorConnection } from './supervisor-client';
import { connectSupervisor } from './supervisor-connect';
import { createWorkspaceOps } from './workspace-ops';

export { runMemoryDefault } from './run-exec';

/** Configuration of the Docker-backed runner. Only `image` is required. */
export interface DockerRunnerConfig extends DockerRunnerSettings {
  /** dockerode connection options (default: /var/run/docker.sock). */
  docker?: Docker.DockerOptions;
}

/** Creates the Docker-backed `SandboxRunner`: one hardened container + volume per account. */
export function createDockerRunner(config: DockerRunnerConfig): SandboxRunner {
  const settings = resolveRunnerSettings(config);
  const { image, instance, key, limits, resources, idleMs, graceMs } = settings;
  const docker = new Docker(config.docker ?? {});
  const queue = createRunQueue({
    queueLength: limits.queueLength,
    maxConcurrent: limits.maxConcurrentRuns,
  });
  const registry = createBoxRegistry({ instance, key });
  let closed = false;
  const { idleCheckMs } = settings;
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
  const workspace = createWorkspaceOps({
    limits,
    boxFor,
    connection,
    exists: async (b) => (await inspect(b.name)) !== undefined,
    archive: (b) => docker.getContainer(b.name) as unknown as ArchiveContainer,
  });

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
        image,
        volume: b.name,
        labels,
        resources,
        ...(settings.runtime ? { runtime: settings.runtime } : {}),
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
      if (info && info.Config.Image !== image) {
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
      b.conn = await connectSupervisor(container, settings.transport);
      b.lastUsed = Date.now();
      return b.conn;
    });
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
          if ((await workspace.usage(b)) > limits.workspaceQuotaBytes) {
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

    ...workspace.files,

    async status(account) {
      const b = boxFor(account);
      const info = await inspect(b.name);
      const quotaBytes = limits.workspaceQuotaBytes;
      if (!info) return { state: 'absent', usedBytes: null, quotaBytes };
      if (!info.State.Running) return { state: 'stopped', usedBytes: b.usedBytes, quotaBytes };
      const usedBytes = b.conn && !b.conn.closed ? await workspace.usage(b) : b.usedBytes;
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
        if (!hash || c.Image !== image || broken) {
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
