import { Type, type Static } from '@sinclair/typebox';
import { ERROR_CODES } from './common';
import { SandboxLanguage, SandboxRunRequest } from './sandbox';
import { Seq } from './sync';

/** WebSocket close codes used by the relay (4000–4999 are application-defined). */
export const WS_CLOSE = {
  /** No/invalid/expired auth frame, or the session was revoked. */
  unauthorized: 4401,
  /** A frame that is not valid JSON or not a known client message. */
  badMessage: 4400,
  /** The account was deleted. */
  gone: 4410,
  /** The server is shutting down; reconnect later. */
  goingAway: 1001,
} as const;

/** First client frame: must arrive within a few seconds of connecting. */
export const WsAuth = Type.Object(
  { type: Type.Literal('auth'), token: Type.String({ maxLength: 128 }) },
  { additionalProperties: false },
);
/** Keep-alive; answered with `pong`. */
export const WsPing = Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false });
/** Client-chosen id tying a run's frames together (unique among the socket's open runs). */
export const WsRunId = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  minLength: 1,
  maxLength: 64,
});
/**
 * Runs code in the caller's sandbox (after `auth`). The server answers with `output` frames
 * as produced, then exactly one `end` or `run-error`. Runs of one account are queued by the
 * relay (one at a time, a short queue, then `run-error` with code `rate-limited`).
 */
export const WsRun = Type.Object(
  {
    type: Type.Literal('run'),
    runId: WsRunId,
    language: SandboxLanguage,
    code: SandboxRunRequest.properties.code,
    timeoutMs: SandboxRunRequest.properties.timeoutMs,
  },
  { additionalProperties: false },
);
export type WsRun = Static<typeof WsRun>;
export const WsClientMessage = Type.Union([WsAuth, WsPing, WsRun]);
export type WsClientMessage = Static<typeof WsClientMessage>;

/** Sent once after a successful `auth`. */
export const WsHello = Type.Object(
  { type: Type.Literal('hello'), protocolVersion: Type.Integer(), seq: Seq },
  { additionalProperties: false },
);
/** The account's seq grew: pull `since` your cursor. */
export const WsNotify = Type.Object(
  { type: Type.Literal('notify'), seq: Seq },
  { additionalProperties: false },
);
export const WsPong = Type.Object({ type: Type.Literal('pong') }, { additionalProperties: false });
/** Output of a run, in production order; `data` is UTF-8 decoded. */
export const WsRunOutput = Type.Object(
  {
    type: Type.Literal('output'),
    runId: WsRunId,
    stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]),
    data: Type.String(),
  },
  { additionalProperties: false },
);
/** How a run ended (the last frame of a run that started). */
export const WsRunEnd = Type.Object(
  {
    type: Type.Literal('end'),
    runId: WsRunId,
    exitCode: Type.Union([Type.Integer(), Type.Null()]),
    signal: Type.Union([Type.String(), Type.Null()]),
    timedOut: Type.Boolean(),
    oomKilled: Type.Boolean(),
    outputTruncated: Type.Boolean(),
    quotaExceeded: Type.Boolean(),
    durationMs: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
/**
 * The codes a `run-error` carries: the same `ERROR_CODES` the HTTP sandbox routes answer
 * (relay/routes/sandbox-errors.ts): `rate-limited` busy (queue full), `invalid-request` bad
 * run fields, `payload-too-large`, `not-found`, `quota-exceeded` workspace over its quota,
 * `unavailable` sandbox down or restarting, `sandbox-off` not enabled on this relay,
 * `internal` anything else.
 */
export const WS_RUN_ERROR_CODES = [
  ERROR_CODES.rateLimited,
  ERROR_CODES.invalidRequest,
  ERROR_CODES.payloadTooLarge,
  ERROR_CODES.notFound,
  ERROR_CODES.quotaExceeded,
  ERROR_CODES.unavailable,
  ERROR_CODES.sandboxOff,
  ERROR_CODES.internal,
] as const;
export type WsRunErrorCode = (typeof WS_RUN_ERROR_CODES)[number];

/**
 * A run that could not start or was lost. `code` is one of {@link WS_RUN_ERROR_CODES}; the
 * schema keeps it a string so a client still reads a frame from a newer relay (an unknown
 * code is shown as a failed run). `message` is safe to show and never holds code or output.
 */
export const WsRunError = Type.Object(
  {
    type: Type.Literal('run-error'),
    runId: WsRunId,
    code: Type.String(),
    message: Type.String(),
  },
  { additionalProperties: false },
);
export const WsServerMessage = Type.Union([
  WsHello,
  WsNotify,
  WsPong,
  WsRunOutput,
  WsRunEnd,
  WsRunError,
]);
export type WsServerMessage = Static<typeof WsServerMessage>;
