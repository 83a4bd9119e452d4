/**
 * Maps each SDK's failures to ProviderError. The SDK error is read for its status, its
 * headers and its error code, then dropped: its message can quote the request or the
 * provider's reply, so nothing of it reaches the UI or the logs.
 */
import Anthropic from '@anthropic-ai/sdk';
import { ApiError as GeminiApiError } from '@google/genai';
import OpenAI from 'openai';
import { ProviderError, type ProviderErrorKind } from '../../core/chat/provider-error';

/** Which SDK threw. */
export type SdkFamily = 'openai' | 'anthropic' | 'gemini';

/** What the caller knows about the failed call. */
export interface ErrorContext {
  provider: string;
  /** Some of the answer had already streamed. */
  afterOutput: boolean;
}

/** The facts classification needs, pulled out of any SDK's error. */
interface Facts {
  status?: number;
  /** Provider error code or type, e.g. `context_length_exceeded`, `overloaded_error`, `API_KEY_INVALID`. */
  codes: string[];
  /** The provider's message, used only for pattern checks and never kept. */
  text: string;
  retryAfterMs?: number;
  /** A transport failure (no HTTP answer, or the body was cut). */
  transport?: 'connect' | 'cut';
}

const CONTEXT_TEXT =
  /context[ _-]?(length|window)|maximum context|prompt is too long|too many tokens|input token count .* exceeds|exceeds the maximum number of tokens/i;

/** Turns anything an SDK call threw into a ProviderError. */
export function mapProviderError(
  family: SdkFamily,
  err: unknown,
  ctx: ErrorContext,
): ProviderError {
  if (err instanceof ProviderError) return err;
  const init = { provider: ctx.provider, afterOutput: ctx.afterOutput, causeName: errorName(err) };
  if (isAbort(err)) return new ProviderError('aborted', init);
  const facts = family === 'gemini' ? geminiFacts(err) : stainlessFacts(family, err);
  const kind = classify(facts, ctx.afterOutput);
  return new ProviderError(kind, {
    ...init,
    status: facts.status,
    retryAfterMs: kind === 'rate-limit' ? facts.retryAfterMs : undefined,
  });
}

function classify(f: Facts, afterOutput: boolean): ProviderErrorKind {
  if (f.transport !== undefined)
    return f.transport === 'cut' || afterOutput ? 'interrupted' : 'network';
  const has = (code: string): boolean => f.codes.includes(code);
  if (has('context_length_exceeded') || has('request_too_large') || f.status === 413)
    return 'context-length';
  if (
    CONTEXT_TEXT.test(f.text) &&
    (f.status === undefined || f.status === 400 || f.status === 422)
  ) {
    return 'context-length';
  }
  if (has('API_KEY_INVALID') || has('authentication_error') || has('invalid_api_key'))
    return 'auth';
  if (f.status === 401 || f.status === 403) return 'auth';
  if (f.status === 429 || has('rate_limit_error') || has('RESOURCE_EXHAUSTED')) return 'rate-limit';
  if (f.status === 404) return 'not-found';
  if (f.status !== undefined && f.status >= 500) return 'server';
  if (f.status !== undefined && f.status >= 400) return 'bad-request';
  // No status: an error reported inside a 200 stream (Anthropic `event: error`,
  // OpenAI `data: {"error": …}`) or an unexpected SDK failure. Both end the answer.
  return 'server';
}

function stainlessFacts(family: 'openai' | 'anthropic', err: unknown): Facts {
  const ApiErr = family === 'openai' ? OpenAI.APIError : Anthropic.APIError;
  const ConnErr = family === 'openai' ? OpenAI.APIConnectionError : Anthropic.APIConnectionError;
  if (err instanceof ConnErr) {
    // A timeout or refused connection before any answer; a cut body surfaces as a TypeError.
    return { codes: [], text: '', transport: isCutBody(err.cause) ? 'cut' : 'connect' };
  }
  if (err instanceof ApiErr) {
    const e = err as InstanceType<typeof OpenAI.APIError> & { type?: unknown };
    const body = asRecord(e.error);
    const nested = asRecord(body?.error);
    const codes = [e.code, e.type, body?.type, nested?.type, body?.code].filter(
      (c): c is string => typeof c === 'string',
    );
    const text = [body?.message, nested?.message].filter((m) => typeof m === 'string').join(' ');
    return {
      status: e.status,
      codes,
      text,
      retryAfterMs: retryAfterFromHeaders(e.headers),
    };
  }
  return transportFacts(err);
}

function geminiFacts(err: unknown): Facts {
  if (!(err instanceof GeminiApiError)) return transportFacts(err);
  // @google/genai puts the whole google.rpc.Status body into the message as JSON
  // (stream error chunks are prefixed with "got status: …. ").
  const jsonStart = err.message.indexOf('{');
  let body: Record<string, unknown> | undefined;
  try {
    body = asRecord(JSON.parse(err.message.slice(Math.max(0, jsonStart))));
  } catch {
    body = undefined;
  }
  const status = asRecord(body?.error);
  const details = Array.isArray(status?.details) ? status.details.map(asRecord) : [];
  const codes: string[] = [];
  if (typeof status?.status === 'string') codes.push(status.status);
  let retryAfterMs: number | undefined;
  for (const d of details) {
    if (typeof d?.reason === 'string') codes.push(d.reason);
    if (typeof d?.retryDelay === 'string') retryAfterMs = parseDuration(d.retryDelay);
  }
  return {
    status: err.status,
    codes,
    text: typeof status?.message === 'string' ? status.message : '',
    retryAfterMs,
  };
}

/** Errors thrown by fetch itself or while reading the body. */
function transportFacts(err: unknown): Facts {
  if (isCutBody(err)) return { codes: [], text: '', transport: 'cut' };
  if (err instanceof TypeError) return { codes: [], text: '', transport: 'connect' };
  return { codes: [], text: '' };
}

/** undici reports a body cut mid-read as `TypeError: terminated` (cause: SocketError). */
function isCutBody(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof TypeError && err.message === 'terminated') return true;
  const code = (err as { code?: unknown }).code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || isCutBody(err.cause);
}

function isAbort(err: unknown): boolean {
  if (err instanceof OpenAI.APIUserAbortError || err instanceof Anthropic.APIUserAbortError)
    return true;
  return err instanceof Error && err.name === 'AbortError';
}

/** retry-after-ms, retry-after in seconds, or retry-after as an HTTP date. */
export function retryAfterFromHeaders(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after');
  if (raw === null || raw === undefined) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** google.protobuf.Duration in JSON form, e.g. "20s" or "1.5s". */
function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)s$/.exec(s.trim());
  return m?.[1] === undefined ? undefined : Math.round(Number.parseFloat(m[1]) * 1000);
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.constructor.name || err.name : undefined;
}
