/**
 * Typed sync failures. `SyncError` means the relay (or a peer) served data that breaks a
 * guarantee — the client refuses it and tells the user; it is never retried automatically.
 * `RelayError` means the relay could not be reached or refused a request; the engine
 * retries the retryable ones with backoff. Messages never carry plaintext, keys or tokens.
 */

/** Why a sync pass refused what the relay served (as const, not an enum). */
export const SYNC_ERROR_CODES = {
  /** The relay served an older revision (or an older account seq / manifest) than already seen. */
  rollback: 'rollback',
  /** A record listed in a verified manifest (or known to exist) is missing. */
  omission: 'omission',
  /** An envelope does not open under its outer record's AAD (moved between records/accounts). */
  recordSwap: 'record-swap',
  /** A deleted record came back to life. */
  tombstoneResurrection: 'tombstone-resurrection',
  /** Two different versions were served for the same record revision. */
  equivocation: 'equivocation',
  /** The relay offered KDF parameters weaker than those pinned on this device. */
  kdfDowngrade: 'kdf-downgrade',
  /** The manifest is malformed or its MAC does not verify. */
  badManifest: 'bad-manifest',
  /** An authentic envelope whose plaintext is not a valid sync document. */
  badRecord: 'bad-record',
  /** A local write broke a merge rule (e.g. rewriting an immutable message). */
  invalidWrite: 'invalid-write',
} as const;
/** Union of {@link SYNC_ERROR_CODES} values. */
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[keyof typeof SYNC_ERROR_CODES];

/** Non-secret context: collection names, record ids, revisions, seqs. */
export type SyncErrorDetails = Record<string, string | number | boolean>;

/** The relay (or a peer) broke a sync guarantee; the client refused the data. */
export class SyncError extends Error {
  readonly code: SyncErrorCode;
  readonly details: SyncErrorDetails;
  constructor(
    code: SyncErrorCode,
    message: string,
    details: SyncErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SyncError';
    this.code = code;
    this.details = details;
  }
}

/** True when `e` is a {@link SyncError} (optionally with the given code). */
export function isSyncError(e: unknown, code?: SyncErrorCode): e is SyncError {
  return e instanceof SyncError && (code === undefined || e.code === code);
}

/** Why a relay request failed (as const). */
export const RELAY_ERROR_CODES = {
  /** No answer: offline, DNS, connection refused or reset, timeout. */
  network: 'network',
  /** 5xx / 503: the relay is up but failing or restarting. */
  unavailable: 'unavailable',
  /** 429. */
  rateLimited: 'rate-limited',
  /** 401 that a token refresh could not fix: the user must log in again. */
  unauthorized: 'unauthorized',
  /** A refresh token was used twice: every session of this device was revoked. */
  tokenReused: 'token-reused',
  /** PUT manifest with a counter that is not greater than the stored one. */
  staleManifest: 'stale-manifest',
  /** 404 (e.g. no manifest yet). */
  notFound: 'not-found',
  /** Any other 4xx: a client bug or a protocol mismatch; retrying will not help. */
  rejected: 'rejected',
  /** The reply did not match the protocol schema. */
  badReply: 'bad-reply',
  /** Refused to talk to a non-HTTPS, non-loopback relay. */
  insecureUrl: 'insecure-url',
} as const;
/** Union of {@link RELAY_ERROR_CODES} values. */
export type RelayErrorCode = (typeof RELAY_ERROR_CODES)[keyof typeof RELAY_ERROR_CODES];

const RETRYABLE: ReadonlySet<RelayErrorCode> = new Set<RelayErrorCode>([
  'network',
  'unavailable',
  'rate-limited',
]);

/** A relay request failed. `retryable` failures are retried with backoff by the engine. */
export class RelayError extends Error {
  readonly code: RelayErrorCode;
  readonly status: number | undefined;
  /** Seconds the relay asked us to wait (429). */
  readonly retryAfter: number | undefined;
  constructor(
    code: RelayErrorCode,
    message: string,
    options: { status?: number; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RelayError';
    this.code = code;
    this.status = options.status;
    this.retryAfter = options.retryAfter;
  }
  /** Whether waiting and trying again can help. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

/** True when `e` is a {@link RelayError} (optionally with the given code). */
export function isRelayError(e: unknown, code?: RelayErrorCode): e is RelayError {
  return e instanceof RelayError && (code === undefined || e.code === code);
}
