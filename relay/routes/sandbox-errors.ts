/**
 * Maps sandbox failures onto the relay's one error type, so HTTP routes and WebSocket runs
 * answer with the same codes and the one error handler renders them. Sandbox messages are
 * written to be shown (they never hold code, output, file contents or paths).
 */
import { ERROR_CODES, type ErrorCode } from '../../shared/protocol';
import { SandboxError, sandboxErrorStatus, type SandboxErrorCode } from '../sandbox/errors';
import { RelayError } from '../errors';
import type { SandboxService } from '../services';

/** Seconds a busy client is told to wait: runs are short and the queue moves on its own. */
export const SANDBOX_BUSY_RETRY_AFTER_S = 2;

const CODES: Record<SandboxErrorCode, ErrorCode> = {
  busy: ERROR_CODES.rateLimited,
  'bad-path': ERROR_CODES.invalidRequest,
  'bad-request': ERROR_CODES.invalidRequest,
  'not-regular-file': ERROR_CODES.invalidRequest,
  'not-found': ERROR_CODES.notFound,
  'too-large': ERROR_CODES.payloadTooLarge,
  'quota-exceeded': ERROR_CODES.quotaExceeded,
  unavailable: ERROR_CODES.unavailable,
  closed: ERROR_CODES.unavailable,
};

/** The RelayError for a SandboxError (status from `sandboxErrorStatus`); other errors pass. */
export function toRelayError(err: unknown): unknown {
  if (!(err instanceof SandboxError)) return err;
  const status = sandboxErrorStatus(err.code);
  return new RelayError(
    CODES[err.code],
    status,
    err.message,
    status === 429 ? SANDBOX_BUSY_RETRY_AFTER_S : undefined,
  );
}

/** 503 for a relay that runs no sandbox. */
export function sandboxOffError(reason: string): RelayError {
  return new RelayError(
    ERROR_CODES.sandboxOff,
    503,
    `The sandbox is off on this relay: ${reason}.`,
  );
}

/** The runner, or the 503 saying why there is none. */
export function runnerOf(sandbox: SandboxService) {
  if (sandbox.state === 'off') throw sandboxOffError(sandbox.reason);
  return sandbox.runner;
}

/** Awaits a runner call, turning sandbox failures into RelayErrors. */
export async function viaRelayErrors<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw toRelayError(err);
  }
}
