import { Type, type Static } from '@sinclair/typebox';
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
export const WsClientMessage = Type.Union([WsAuth, WsPing]);
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
export const WsServerMessage = Type.Union([WsHello, WsNotify, WsPong]);
export type WsServerMessage = Static<typeof WsServerMessage>;
