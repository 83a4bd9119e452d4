/** The relay's one error type: a stable code, an HTTP status and a message safe to show. */
import { ERROR_CODES, type ErrorCode } from '../shared/protocol';

export class RelayError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly statusCode: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'RelayError';
  }
}

/** Shorthands for the common cases (messages never contain user data). */
export const errors = {
  unauthorized: (message = 'Sign in again: the access token is missing, invalid or revoked.') =>
    new RelayError(ERROR_CODES.unauthorized, 401, message),
  invalidCredentials: () =>
    new RelayError(ERROR_CODES.invalidCredentials, 401, 'Account id or passphrase is wrong.'),
  notFound: (what: string) => new RelayError(ERROR_CODES.notFound, 404, `${what} not found.`),
  invalid: (message: string) => new RelayError(ERROR_CODES.invalidRequest, 400, message),
  tooLarge: (message: string) => new RelayError(ERROR_CODES.payloadTooLarge, 413, message),
  tooManyAttempts: (retryAfter: number) =>
    new RelayError(
      ERROR_CODES.tooManyAttempts,
      429,
      `Too many sign-in attempts. Try again in ${retryAfter} s.`,
      retryAfter,
    ),
} as const;
