import type { SandboxLanguage, SandboxOutputFrame } from '../../shared/protocol/sandbox';
import { SandboxError } from './errors';
import type { RunOptions, RunResult, SandboxLimits } from './runner';
import type { SupervisorConnection, SupervisorReply } from './supervisor-client';

const LANGUAGES: ReadonlySet<string> = new Set<SandboxLanguage>(['python', 'javascript', 'shell']);

/** A run request after validation and clamping. */
export interface ValidRun {
  language: SandboxLanguage;
  code: string;
  timeoutMs: number;
}

/** Checks language, code size and timeout; clamps the timeout to the configured range. */
export function validateRun(options: RunOptions, limits: SandboxLimits): ValidRun {
  if (!LANGUAGES.has(options.language)) {
    throw new SandboxError('bad-request', 'Unknown language.');
  }
  if (typeof options.code !== 'string') throw new SandboxError('bad-request', 'Code is missing.');
  if (Buffer.byteLength(options.code, 'utf8') > limits.maxCodeBytes) {
    throw new SandboxError('too-large', 'The code is over the size limit.');
  }
  if (options.code.includes('\0')) throw new SandboxError('bad-request', 'Code contains NUL.');
  const requested = options.timeoutMs ?? limits.defaultTimeoutMs;
  if (!Number.isFinite(requested) || requested <= 0) {
    throw new SandboxError('bad-request', 'Invalid timeout.');
  }
  return {
    language: options.language,
    code: options.code,
    timeoutMs: Math.min(Math.round(requested), limits.maxTimeoutMs),
  };
}

/** What `executeRun` reports back to the runner. */
export interface RunOutcome {
  result: RunResult;
  usedBytes?: number;
  /** The relay had to enforce a limit itself: the caller must kill the container. */
  misbehaved: boolean;
  /** The run could not happen (e.g. no pid left to spawn it): the caller throws this. */
  error?: SandboxError;
}

/**
 * Runs one request over a supervisor connection and streams its output. The relay keeps
 * its own wall clock (deadline + grace) and output count: if the supervisor does not end
 * the run in time or sends more than the cap, the outcome says `misbehaved` and the
 * runner kills the container. If the connection dies mid-run, the run ends as killed.
 */
export function executeRun(
  conn: SupervisorConnection,
  req: ValidRun,
  opts: {
    outputCapBytes: number;
    quotaBytes: number;
    /** The container's memory limit, also watched by the supervisor (see supervisor.py). */
    memoryBytes: number;
    graceMs: number;
    onOutput?: (frame: SandboxOutputFrame) => void;
  },
): Promise<RunOutcome> {
  const started = performance.now();
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  let received = 0;
  const emit = (stream: 'stdout' | 'stderr', data: string) => {
    if (data.length === 0 || !opts.onOutput) return;
    try {
      opts.onOutput({ type: 'output', stream, data });
    } catch {
      // A failing listener (e.g. a closed WebSocket) must not break the run's bookkeeping.
    }
  };
  const flush = () => {
    emit('stdout', decoders.stdout.decode());
    emit('stderr', decoders.stderr.decode());
  };
  const killed = (extra: Partial<RunResult>): RunResult => ({
    exitCode: null,
    signal: 'SIGKILL',
    timedOut: false,
    oomKilled: false,
    outputTruncated: false,
    quotaExceeded: false,
    durationMs: Math.round(performance.now() - started),
    ...extra,
  });

  return new Promise<RunOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: RunOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      flush();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => settle({ result: killed({ timedOut: true }), misbehaved: true }),
      req.timeoutMs + opts.graceMs,
    );
    conn
      .run(
        {
          language: req.language,
          code: req.code,
          timeoutMs: req.timeoutMs,
          outputCap: opts.outputCapBytes,
          quotaBytes: opts.quotaBytes,
          memoryBytes: opts.memoryBytes,
        },
        (stream, data) => {
          if (settled) return;
          received += data.length;
          if (received > opts.outputCapBytes) {
            settle({ result: killed({ outputTruncated: true }), misbehaved: true });
            return;
          }
          emit(stream, decoders[stream].decode(data, { stream: true }));
        },
      )
      .then(
        (end) => settle(fromEnd(end, started)),
        () => settle({ result: killed({}), misbehaved: false }),
      );
  });
}

function fromEnd(end: SupervisorReply, started: number): RunOutcome {
  if (end.type !== 'end' || typeof end.error === 'string') {
    const spawnFailed = end.error === 'spawn-failed';
    return {
      result: {
        exitCode: null,
        signal: null,
        timedOut: false,
        oomKilled: false,
        outputTruncated: false,
        quotaExceeded: false,
        durationMs: Math.round(performance.now() - started),
      },
      // A supervisor that answers nonsense is replaced; one that could not spawn is fine.
      misbehaved: !spawnFailed,
      error: new SandboxError(
        'unavailable',
        spawnFailed
          ? 'The sandbox could not start the program (out of processes or memory).'
          : 'The sandbox supervisor sent an invalid reply.',
      ),
    };
  }
  const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null);
  return {
    result: {
      exitCode: int(end.exitCode),
      signal: typeof end.signal === 'string' ? end.signal : null,
      timedOut: end.timedOut === true,
      oomKilled: end.oomKilled === true,
      outputTruncated: end.outputTruncated === true,
      quotaExceeded: end.quotaExceeded === true,
      durationMs: int(end.durationMs) ?? Math.round(performance.now() - started),
    },
    usedBytes: int(end.usedBytes) ?? undefined,
    misbehaved: false,
  };
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
