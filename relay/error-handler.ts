/** The relay's one error handler and not-found handler. 5xx bodies never show internals. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ERROR_CODES, type ErrorBody } from '../shared/protocol';
import { RelayError } from './errors';
import { StoreError } from './store/types';

function body(code: string, message: string, extra: Partial<ErrorBody['error']> = {}): ErrorBody {
  return { error: { code, message, ...extra } };
}

/** Maps any thrown error to a status and an ErrorBody. */
export function toErrorReply(err: unknown): { status: number; body: ErrorBody } | undefined {
  if (err instanceof RelayError) {
    const extra = err.retryAfter === undefined ? {} : { retryAfter: err.retryAfter };
    return { status: err.statusCode, body: body(err.code, err.message, extra) };
  }
  if (err instanceof StoreError) {
    switch (err.code) {
      case 'account-exists':
        return {
          status: 409,
          body: body(ERROR_CODES.accountExists, 'This account id is already registered.'),
        };
      case 'stale-manifest':
        return {
          status: 409,
          body: body(
            ERROR_CODES.staleManifest,
            'The manifest counter must be greater than the stored one.',
          ),
        };
      case 'account-not-found':
        return { status: 404, body: body(ERROR_CODES.notFound, 'Account not found.') };
      default:
        return undefined;
    }
  }
  const e = err as Partial<FastifyError>;
  switch (e.code) {
    case 'FST_ERR_VALIDATION':
      return {
        status: 400,
        body: body(ERROR_CODES.invalidRequest, `Invalid request: ${e.message ?? ''}`),
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: body(ERROR_CODES.payloadTooLarge, 'The request body is too large.'),
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        status: 400,
        body: body(ERROR_CODES.invalidRequest, 'The request body is not valid JSON.'),
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: body(ERROR_CODES.invalidRequest, 'The request body is empty.') };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: body(ERROR_CODES.unsupportedMediaType, 'Send the body as application/json.'),
      };
    default:
      break;
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // Other framework 4xx errors (bad content length, bad URL...): their messages are generic.
    return {
      status: e.statusCode,
      body: body(ERROR_CODES.invalidRequest, e.message ?? 'Bad request.'),
    };
  }
  return undefined;
}

/** Installs the error and not-found handlers. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const mapped = toErrorReply(err);
    if (mapped !== undefined) {
      if (mapped.body.error.retryAfter !== undefined) {
        void reply.header('retry-after', String(mapped.body.error.retryAfter));
      }
      return reply.status(mapped.status).send(mapped.body);
    }
    // Only the error itself is logged; request bodies never are (see the logger config).
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(
      body(ERROR_CODES.internal, 'Something went wrong on the relay. Try again later.', {
        requestId: String(req.id),
      }),
    );
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .send(body(ERROR_CODES.notFound, `No route ${req.method} ${req.url.split('?')[0] ?? ''}.`)),
  );
}
