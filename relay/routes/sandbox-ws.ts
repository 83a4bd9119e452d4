/**
 * Sandbox runs over an authenticated WebSocket: `run` in, `output`… then one `end` or
 * `run-error` out. Used by `ws.ts` once a socket is open.
 *
 * Closing the socket cancels nothing: the runner has no cancel, and every run already ends
 * by its own deadline (plus the runner's grace), so a dropped socket can never leave a run
 * going longer than that. Its remaining frames are simply not sent.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyBaseLogger } from 'fastify';
import { ERROR_CODES, WsRun, WsRunId, type WsServerMessage } from '../../shared/protocol';
import { RelayError } from '../errors';
import type { SandboxService } from '../services';
import { runnerOf, toRelayError } from './sandbox-errors';

const checkRun = TypeCompiler.Compile(WsRun);
const checkRunId = TypeCompiler.Compile(WsRunId);

/** What a socket's frame turned out to be, as far as runs are concerned. */
export type RunFrameCheck =
  | { kind: 'run'; run: WsRun }
  /** A `run` with a usable id but bad fields: answered with `run-error`, socket stays. */
  | { kind: 'bad-run'; runId: string }
  | { kind: 'not-run' };

/** Classifies a parsed frame (`kind: 'not-run'` for anything but a `run`). */
export function checkRunFrame(msg: unknown): RunFrameCheck {
  if (typeof msg !== 'object' || msg === null || (msg as { type?: unknown }).type !== 'run') {
    return { kind: 'not-run' };
  }
  if (checkRun.Check(msg)) return { kind: 'run', run: msg };
  const runId = (msg as { runId?: unknown }).runId;
  return checkRunId.Check(runId) ? { kind: 'bad-run', runId } : { kind: 'not-run' };
}

/** Runs started from one socket, all on the socket's account. */
export function createSocketRuns(opts: {
  sandbox: SandboxService;
  accountId: string;
  send: (msg: WsServerMessage) => void;
  log: FastifyBaseLogger;
}) {
  const { sandbox, accountId, send, log } = opts;
  /** Run ids in flight on this socket (an id may be reused once its run ended). */
  const open = new Set<string>();

  const fail = (runId: string, err: unknown) => {
    const mapped = toRelayError(err);
    if (mapped instanceof RelayError) {
      send({ type: 'run-error', runId, code: mapped.code, message: mapped.message });
      return;
    }
    // Only the error is logged, never code or output.
    log.error({ err: mapped }, 'sandbox run failed');
    send({
      type: 'run-error',
      runId,
      code: ERROR_CODES.internal,
      message: 'The run failed on the relay. Try again later.',
    });
  };

  async function execute(run: WsRun): Promise<void> {
    try {
      const runner = runnerOf(sandbox);
      const result = await runner.run(accountId, {
        language: run.language,
        code: run.code,
        ...(run.timeoutMs === undefined ? {} : { timeoutMs: run.timeoutMs }),
        onOutput: (frame) =>
          send({ type: 'output', runId: run.runId, stream: frame.stream, data: frame.data }),
      });
      send({ type: 'end', runId: run.runId, ...result });
    } catch (err) {
      fail(run.runId, err);
    } finally {
      open.delete(run.runId);
    }
  }

  return {
    /** Starts a run (queued by the runner); answers on the socket. */
    start(run: WsRun): void {
      if (open.has(run.runId)) {
        fail(
          run.runId,
          new RelayError(
            ERROR_CODES.invalidRequest,
            400,
            'A run with this id is still going on this socket.',
          ),
        );
        return;
      }
      open.add(run.runId);
      void execute(run);
    },
    /** Answers a malformed `run` without closing the socket. */
    reject(runId: string): void {
      fail(
        runId,
        new RelayError(
          ERROR_CODES.invalidRequest,
          400,
          'Invalid run: send {type: "run", runId, language, code, timeoutMs?}.',
        ),
      );
    },
  };
}
