/**
 * Typed sandbox errors. Messages never contain user code, output or file contents; a
 * path is never echoed back either (it may itself be user content).
 */
export const SandboxErrorCode = {
  /** The account already has a run going and its queue is full (→ HTTP 429). */
  busy: 'busy',
  /** A workspace path failed validation (absolute, `..`, NUL, too long, …). */
  badPath: 'bad-path',
  notFound: 'not-found',
  /** Not a regular file (directory, symlink, device, …): refused for download. */
  notRegularFile: 'not-regular-file',
  /** Upload, download or request over its size cap. */
  tooLarge: 'too-large',
  /** The workspace is over its size quota: delete files or reset the sandbox. */
  quotaExceeded: 'quota-exceeded',
  /** Bad run request (unknown language, code too long, timeout out of range). */
  badRequest: 'bad-request',
  /** Docker, the image or the supervisor failed; the sandbox may be restarted. */
  unavailable: 'unavailable',
  /** The runner was closed. */
  closed: 'closed',
} as const;
export type SandboxErrorCode = (typeof SandboxErrorCode)[keyof typeof SandboxErrorCode];

/** Any sandbox failure. Route code maps `code` to an HTTP status. */
export class SandboxError extends Error {
  readonly code: SandboxErrorCode;

  constructor(code: SandboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxError';
    this.code = code;
  }
}

/** Docker, the image or the supervisor failed (the cause is kept, never shown). */
export function unavailable(message: string, cause?: unknown): SandboxError {
  return new SandboxError('unavailable', message, cause === undefined ? undefined : { cause });
}

/** One run at a time per account plus a short queue; past that, this (→ 429). */
export class SandboxBusyError extends SandboxError {
  constructor() {
    super(SandboxErrorCode.busy, 'The sandbox is busy: wait for the current run to finish.');
    this.name = 'SandboxBusyError';
  }
}

/** HTTP status a route should answer for a sandbox error code. */
export function sandboxErrorStatus(code: SandboxErrorCode): number {
  switch (code) {
    case 'busy':
      return 429;
    case 'bad-path':
    case 'bad-request':
    case 'not-regular-file':
      return 400;
    case 'not-found':
      return 404;
    case 'too-large':
      return 413;
    case 'quota-exceeded':
      return 507;
    case 'unavailable':
    case 'closed':
      return 503;
  }
}
