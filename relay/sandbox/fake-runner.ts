import type { SandboxFileEntry, SandboxOutputFrame } from '../../shared/protocol/sandbox';
import { SandboxError } from './errors';
import { validateWorkspacePath } from './paths';
import { validateRun } from './run-exec';
import { createRunQueue } from './run-queue';
import {
  DEFAULT_SANDBOX_LIMITS,
  type RunOptions,
  type RunResult,
  type SandboxLimits,
  type SandboxRunner,
} from './runner';

/** Scripted behaviour of a fake run: emit frames, then return how it ended. */
export type FakeRunScript = (
  account: string,
  options: RunOptions,
  emit: (frame: SandboxOutputFrame) => void,
) => Promise<Partial<RunResult> | void> | Partial<RunResult> | void;

interface FakeBox {
  state: 'running' | 'stopped';
  files: Map<string, { bytes: Uint8Array; mtimeMs: number }>;
  lastUsed: number;
}

/**
 * In-memory `SandboxRunner` for route tests: same validation, limits, queue and typed
 * errors as the Docker runner, no daemon. By default a run echoes its code to stdout and
 * exits 0; pass `script` to script outputs and endings. `runs` records every run started.
 */
export function createFakeRunner(
  options: { limits?: Partial<SandboxLimits>; script?: FakeRunScript; idleMs?: number } = {},
) {
  const limits: SandboxLimits = { ...DEFAULT_SANDBOX_LIMITS, ...options.limits };
  const queue = createRunQueue({
    queueLength: limits.queueLength,
    maxConcurrent: limits.maxConcurrentRuns,
  });
  const boxes = new Map<string, FakeBox>();
  const runs: Array<{ account: string; language: string; code: string }> = [];
  const script: FakeRunScript =
    options.script ??
    ((_a, o, emit) => (emit({ type: 'output', stream: 'stdout', data: o.code }), {}));
  let closed = false;

  function open(account: string): FakeBox {
    if (closed) throw new SandboxError('closed', 'The sandbox runner is closed.');
    let b = boxes.get(account);
    if (!b) {
      b = { state: 'running', files: new Map(), lastUsed: Date.now() };
      boxes.set(account, b);
    }
    b.state = 'running';
    b.lastUsed = Date.now();
    return b;
  }

  const used = (b: FakeBox) => [...b.files.values()].reduce((n, f) => n + f.bytes.length, 0);

  const runner: SandboxRunner & { runs: typeof runs } = {
    runs,
    async ensure(account) {
      open(account);
    },
    async run(account, opts) {
      const req = validateRun(opts, limits);
      const release = await queue.acquire(account);
      try {
        const b = open(account);
        if (used(b) > limits.workspaceQuotaBytes) {
          throw new SandboxError('quota-exceeded', 'The workspace is full: delete files first.');
        }
        runs.push({ account, language: req.language, code: req.code });
        const started = Date.now();
        let sent = 0;
        let truncated = false;
        const emit = (frame: SandboxOutputFrame) => {
          if (truncated) return;
          const size = Buffer.byteLength(frame.data);
          if (sent + size > limits.outputCapBytes) truncated = true;
          else opts.onOutput?.(frame);
          sent += size;
        };
        const end = (await script(account, { ...opts, timeoutMs: req.timeoutMs }, emit)) ?? {};
        return {
          exitCode: truncated ? null : 0,
          signal: truncated ? 'SIGKILL' : null,
          timedOut: false,
          oomKilled: false,
          outputTruncated: truncated,
          quotaExceeded: false,
          durationMs: Date.now() - started,
          ...end,
        };
      } finally {
        release();
      }
    },
    async listFiles(account) {
      const b = boxes.get(account);
      const files: SandboxFileEntry[] = [];
      for (const [path, f] of b?.files ?? []) {
        files.push({ path, type: 'file', size: f.bytes.length, mtimeMs: f.mtimeMs });
      }
      files.sort((x, y) => (x.path < y.path ? -1 : 1));
      return { files, truncated: false };
    },
    async upload(account, path, bytes) {
      const { path: rel } = validateWorkspacePath(path);
      if (bytes.length > limits.maxUploadBytes) throw new SandboxError('too-large', 'Too large.');
      const b = open(account);
      if (used(b) + bytes.length > limits.workspaceQuotaBytes) {
        throw new SandboxError('quota-exceeded', 'The workspace is full: delete files first.');
      }
      b.files.set(rel, { bytes: bytes.slice(), mtimeMs: Date.now() });
    },
    async download(account, path) {
      const { path: rel } = validateWorkspacePath(path);
      const f = boxes.get(account)?.files.get(rel);
      if (!f) throw new SandboxError('not-found', 'No such file in the workspace.');
      if (f.bytes.length > limits.maxDownloadBytes)
        throw new SandboxError('too-large', 'Too large.');
      return f.bytes.slice();
    },
    async deleteFile(account, path) {
      const { path: rel } = validateWorkspacePath(path);
      if (!boxes.get(account)?.files.delete(rel)) {
        throw new SandboxError('not-found', 'No such file in the workspace.');
      }
    },
    async status(account) {
      const b = boxes.get(account);
      const quotaBytes = limits.workspaceQuotaBytes;
      return b
        ? { state: b.state, usedBytes: used(b), quotaBytes }
        : { state: 'absent', usedBytes: null, quotaBytes };
    },
    async stopIdle() {
      let n = 0;
      for (const b of boxes.values()) {
        if (b.state === 'running' && Date.now() - b.lastUsed >= (options.idleMs ?? 600_000)) {
          b.state = 'stopped';
          n++;
        }
      }
      return n;
    },
    async reset(account) {
      boxes.delete(account);
    },
    async removeAccount(account) {
      boxes.delete(account);
    },
    async reconcile() {
      return { containers: boxes.size, volumes: boxes.size, removed: 0 };
    },
    async close() {
      closed = true;
      queue.close();
    },
  };
  return runner;
}

/** The fake runner's type (a `SandboxRunner` plus its `runs` log). */
export type FakeRunner = ReturnType<typeof createFakeRunner>;
