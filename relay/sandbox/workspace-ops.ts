import { SANDBOX_HOME } from './container-spec';
import type { Box } from './boxes';
import { getFile, putFile, type ArchiveContainer } from './docker-files';
import { SandboxError } from './errors';
import { validateWorkspacePath } from './paths';
import type { SandboxLimits, SandboxRunner } from './runner';
import type { SupervisorConnection } from './supervisor-client';

/**
 * The workspace file operations of the Docker runner: list, upload, download, delete and
 * usage, over the supervisor's control channel and Docker's archive endpoints. Paths are
 * validated here; the supervisor re-checks them inside the container (no symlink is
 * followed). docker-runner.ts owns the containers and passes in how to reach them.
 */

const CONTROL_TIMEOUT_MS = 30_000;

/** What the file operations need from the runner. */
export interface WorkspaceDeps {
  limits: SandboxLimits;
  boxFor(account: string): Box;
  /** The box's supervisor connection, creating/starting the container when needed. */
  connection(b: Box): Promise<SupervisorConnection>;
  /** Whether the box's container exists (without creating it). */
  exists(b: Box): Promise<boolean>;
  archive(b: Box): ArchiveContainer;
}

/** Creates the workspace operations over one runner's boxes. */
export function createWorkspaceOps(deps: WorkspaceDeps) {
  const { limits, boxFor, connection, exists, archive } = deps;

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

  /** Measures the workspace (and remembers it on the box). */
  async function usage(b: Box): Promise<number> {
    const r = await control(b, { op: 'usage' });
    b.usedBytes = typeof r.usedBytes === 'number' ? r.usedBytes : null;
    return b.usedBytes ?? 0;
  }

  const files: Pick<SandboxRunner, 'listFiles' | 'upload' | 'download' | 'deleteFile'> = {
    async listFiles(account) {
      const b = boxFor(account);
      if (!(await exists(b))) return { files: [], truncated: false };
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
      await putFile(archive(b), dir, segments[segments.length - 1] ?? '', bytes);
      b.usedBytes = used + bytes.length;
      b.lastUsed = Date.now();
    },

    async download(account, path) {
      const { path: rel } = validateWorkspacePath(path);
      const b = boxFor(account);
      if (!(await exists(b))) throw new SandboxError('not-found', 'No such file in the workspace.');
      const bytes = await getFile(archive(b), `${SANDBOX_HOME}/${rel}`, limits.maxDownloadBytes);
      b.lastUsed = Date.now();
      return bytes;
    },

    async deleteFile(account, path) {
      const { path: rel } = validateWorkspacePath(path);
      const b = boxFor(account);
      if (!(await exists(b))) throw new SandboxError('not-found', 'No such file in the workspace.');
      await control(b, { op: 'delete', path: rel });
      await usage(b);
    },
  };

  return { usage, files };
}
