/**
 * Typed sandbox failures with the plain words the chat card, the Files panel and Options →
 * Sandbox show. Messages never carry code, output, file contents, paths or tokens.
 */

/** Why a sandbox call failed (as const, not an enum). */
export const SANDBOX_ERROR = [
  /** This browser is not connected to a relay (Options → Sync). */
  'not-connected',
  /** The relay runs no sandbox (no image configured, or Docker unavailable). */
  'sandbox-off',
  /** One run at a time per account and the short queue is full (429). */
  'busy',
  /** The workspace is over its size quota (507): delete files to continue. */
  'quota-exceeded',
  /** The relay did not answer in time. */
  'timeout',
  /** The relay could not be reached (offline, stopped, refused). */
  'relay-down',
  /** The relay is up but its sandbox is not available right now (Docker down, restarting). */
  'unavailable',
  /** The relay session ended: reconnect in Options → Sync. */
  'unauthorized',
  /** A file name the sandbox refuses (.., absolute, control characters, too long). */
  'bad-path',
  /** The file does not exist (or is not a regular file). */
  'not-found',
  /** Upload or download larger than the relay allows. */
  'too-large',
  /** The relay refused the request for another reason (its message is shown). */
  'rejected',
  /** The relay sent something that is not the sandbox protocol. */
  'bad-reply',
  /** The user stopped the run (or the page closed). */
  'aborted',
] as const;
/** Union of {@link SANDBOX_ERROR}. */
export type SandboxErrorCode = (typeof SANDBOX_ERROR)[number];

const TEXT: Record<SandboxErrorCode, string> = {
  'not-connected':
    'Code runs in your private sandbox on your relay. Connect a relay in Options → Sync first.',
  'sandbox-off': 'The sandbox is off on your relay (its operator has not enabled it).',
  busy: 'Your sandbox is busy with other runs. Wait a moment and try again.',
  'quota-exceeded':
    'Your sandbox workspace is full. Delete files in the Files panel (or reset it in Options → Sandbox).',
  timeout: 'The relay did not answer in time. Try again.',
  'relay-down': 'The relay cannot be reached. Check that it is running and try again.',
  unavailable: 'The sandbox is not available right now. Try again in a moment.',
  unauthorized: 'The relay session ended. Reconnect in Options → Sync.',
  'bad-path':
    'That file name is not allowed in the sandbox (no "..", no leading "/", no control characters).',
  'not-found': 'That file is not in your sandbox any more.',
  'too-large': 'That file is larger than your relay allows.',
  rejected: 'The relay refused the request.',
  'bad-reply': 'The relay sent a reply Nook does not understand. Is it up to date?',
  aborted: 'Stopped.',
};

/** A failed sandbox call; `message` is safe to show. */
export class SandboxClientError extends Error {
  readonly code: SandboxErrorCode;
  /** Seconds the relay asked to wait (busy). */
  readonly retryAfter: number | undefined;
  constructor(
    code: SandboxErrorCode,
    options: { message?: string; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(
      options.message ?? TEXT[code],
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'SandboxClientError';
    this.code = code;
    this.retryAfter = options.retryAfter;
  }
}

/** True when `e` is a {@link SandboxClientError} (optionally with the given code). */
export function isSandboxError(e: unknown, code?: SandboxErrorCode): e is SandboxClientError {
  return e instanceof SandboxClientError && (code === undefined || e.code === code);
}

/** The default plain words for a code. */
export const sandboxErrorText = (code: SandboxErrorCode): string => TEXT[code];

/** Plain words for anything a sandbox call threw. */
export function sandboxErrorMessage(e: unknown): string {
  if (e instanceof SandboxClientError) return e.message;
  return 'The sandbox call failed. Try again.';
}
