/**
 * The `SandboxRunner` port: everything the relay's routes may ask of a per-account code
 * sandbox. `docker-runner.ts` implements it against a Docker daemon (the only file that
 * imports dockerode); `fake-runner.ts` is the in-memory double for route tests.
 */
import type {
  SandboxFileList,
  SandboxLanguage,
  SandboxOutputFrame,
  SandboxStatus,
} from '../../shared/protocol/sandbox';

/** Options of one run. */
export interface RunOptions {
  language: SandboxLanguage;
  code: string;
  /** Wall-clock limit; clamped to the runner's configured maximum. */
  timeoutMs?: number;
  /** Called as output is produced, in order. Must not throw. */
  onOutput?: (frame: SandboxOutputFrame) => void;
}

/** How a run ended. */
export interface RunResult {
  /** Exit status when the program exited on its own, else null. */
  exitCode: number | null;
  /** Name of the signal that ended it (e.g. `SIGKILL`), else null. */
  signal: string | null;
  timedOut: boolean;
  oomKilled: boolean;
  outputTruncated: boolean;
  /** True when the workspace is over quota after the run (further writes are refused). */
  quotaExceeded: boolean;
  durationMs: number;
}

/** What `reconcile()` found and did. */
export interface ReconcileReport {
  containers: number;
  volumes: number;
  /** Containers removed because they were broken or built from another image. */
  removed: number;
}

/** Per-account sandbox: one container + one volume, created on first use. */
export interface SandboxRunner {
  /** Creates (or starts) the account's sandbox so the next run is warm. */
  ensure(account: string): Promise<void>;
  /**
   * Runs code. One run at a time per account with a short queue; beyond it throws
   * `SandboxBusyError`. Throws `SandboxError('quota-exceeded')` while the workspace is full.
   */
  run(account: string, options: RunOptions): Promise<RunResult>;
  listFiles(account: string): Promise<SandboxFileList>;
  /** Writes one file (parents created) into the workspace. */
  upload(account: string, path: string, bytes: Uint8Array): Promise<void>;
  /** Reads one regular file from the workspace (symlinks, directories, devices refused). */
  download(account: string, path: string): Promise<Uint8Array>;
  /** Deletes a file or a directory tree (symlinks are removed, never followed). */
  deleteFile(account: string, path: string): Promise<void>;
  status(account: string): Promise<SandboxStatus>;
  /** Stops the sandboxes idle for longer than the idle timeout; returns how many. */
  stopIdle(): Promise<number>;
  /** Removes the container and the volume: the next use starts fresh and empty. */
  reset(account: string): Promise<void>;
  /** Account deletion: like `reset`, and nothing of the account is left on the host. */
  removeAccount(account: string): Promise<void>;
  /** At relay start: finds existing sandboxes by label and clears broken/outdated ones. */
  reconcile(): Promise<ReconcileReport>;
  /** Stops timers and drops connections; containers are left for the next `reconcile`. */
  close(): Promise<void>;
}

/** Limits shared by the real and the fake runner. */
export interface SandboxLimits {
  /** Default and maximum wall-clock time of a run. */
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
  /** stdout + stderr bytes per run; past it the run is killed and `outputTruncated` set. */
  outputCapBytes: number;
  /** Runs waiting behind the active one, per account. */
  queueLength: number;
  /** Runs executing at once across all accounts. */
  maxConcurrentRuns: number;
  /** Workspace size quota (allocated bytes). */
  workspaceQuotaBytes: number;
  /** Largest single upload / download. */
  maxUploadBytes: number;
  maxDownloadBytes: number;
  maxCodeBytes: number;
  /**
   * Resident memory one run's processes may use, watched by the supervisor (every 50 ms it
   * kills the largest process once the run's processes hold more, reported as
   * `oomKilled`). Defaults to 3/4 of the container's memory limit (see
   * `runMemoryDefault`): the kernel's cgroup limit stays the hard backstop, and the
   * watchdog ends a memory bomb before it thrashes near that limit or on hosts that do
   * not enforce cgroup memory limits.
   */
  runMemoryBytes?: number;
}

/** Defaults; every one is documented in relay/sandbox/README.md. */
export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  defaultTimeoutMs: 30_000,
  maxTimeoutMs: 300_000,
  outputCapBytes: 1024 * 1024,
  queueLength: 2,
  maxConcurrentRuns: 4,
  workspaceQuotaBytes: 512 * 1024 * 1024,
  maxUploadBytes: 32 * 1024 * 1024,
  maxDownloadBytes: 32 * 1024 * 1024,
  maxCodeBytes: 64 * 1024,
};
