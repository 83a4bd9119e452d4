/**
 * Low-level HTTP for the relay: the https-only URL rule, one JSON request helper over an
 * injected `fetch`, and the mapping of relay error bodies to coded {@link RelayError}s.
 * Nothing secret or user-written ever goes into a URL: ids and tokens travel in bodies and
 * the Authorization header.
 */
import type { TSchema, Static } from '@sinclair/typebox';
// Value.Check interprets schemas; TypeCompiler would need eval, which MV3's CSP forbids.
import { Value } from '@sinclair/typebox/value';
import { ErrorBody } from '../../../shared/protocol';
import { RelayError, type RelayErrorCode } from '../../core/sync/errors';

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Parses and checks a relay base URL: `https:` anywhere, plain `http:`/`ws:` only to loopback
 * (a relay on this machine). No credentials, query or fragment.
 */
export function parseRelayUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new RelayError('insecure-url', 'The relay address is not a valid URL.', { cause });
  }
  const secure = url.protocol === 'https:';
  const loopHttp = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (!secure && !loopHttp) {
    throw new RelayError(
      'insecure-url',
      'The relay must use https:// (plain http is allowed only to 127.0.0.1, ::1 or localhost).',
    );
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new RelayError(
      'insecure-url',
      'The relay address must not carry credentials or a query.',
    );
  }
  return url;
}

/** The base path without trailing slashes ('' for a relay at the origin root). */
const prefix = (base: URL) => base.pathname.replace(/\/+$/, '');

/** The WebSocket URL for a relay base URL (wss for https, ws for loopback http). */
export function relayWsUrl(base: URL): string {
  const ws = new URL(base.href);
  ws.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  ws.pathname = `${prefix(base)}/v1/ws`;
  return ws.href;
}

/** One request. `token` goes in the Authorization header, never the URL. */
export interface RelayRequest<S extends TSchema | undefined> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, number>;
  body?: unknown;
  token?: string;
  /** Reply schema; undefined for "any 2xx is fine". */
  reply: S;
}

/** Injected `fetch` (the extension passes `globalThis.fetch.bind(globalThis)`). */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

function codeFor(status: number, serverCode: string | undefined): RelayErrorCode {
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'unavailable';
  if (serverCode === 'token-reused') return 'token-reused';
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not-found';
  if (serverCode === 'stale-manifest') return 'stale-manifest';
  return 'rejected';
}

/** Sends a request and validates the reply; throws RelayError. */
export async function relayRequest<S extends TSchema | undefined>(
  fetchFn: Fetch,
  base: URL,
  req: RelayRequest<S>,
  timeoutMs: number,
): Promise<S extends TSchema ? Static<S> : unknown> {
  const url = new URL(base.href);
  url.pathname = `${prefix(base)}${req.path}`;
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  if (req.token !== undefined) headers.authorization = `Bearer ${req.token}`;
  let res: Response;
  try {
    res = await fetchFn(url.href, {
      method: req.method,
      headers,
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      // Never send cookies or follow a redirect to some other host with our bearer token.
      credentials: 'omit',
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new RelayError('network', 'The relay could not be reached.', { cause });
  }
  let json: unknown;
  try {
    const text = await res.text();
    json = text === '' ? undefined : JSON.parse(text);
  } catch (cause) {
    if (res.ok)
      throw new RelayError('bad-reply', 'The relay sent a reply that is not JSON.', { cause });
    json = undefined;
  }
  if (!res.ok) {
    const body = Value.Check(ErrorBody, json) ? json.error : undefined;
    const raw = res.headers.get('retry-after');
    const header = raw === null ? Number.NaN : Number(raw);
    const retryAfter = body?.retryAfter ?? (Number.isFinite(header) ? header : undefined);
    throw new RelayError(
      codeFor(res.status, body?.code),
      body?.message ?? `The relay answered ${res.status}.`,
      { status: res.status, ...(retryAfter === undefined ? {} : { retryAfter }) },
    );
  }
  if (req.reply !== undefined && !Value.Check(req.reply, json)) {
    throw new RelayError('bad-reply', 'The relay reply does not match the protocol.', {
      status: res.status,
    });
  }
  return json as S extends TSchema ? Static<S> : unknown;
}
