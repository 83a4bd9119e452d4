/**
 * HTTP for the relay's `/v1/sandbox/*` routes: bearer token in the header (never the URL),
 * no cookies, no redirects, a timeout, every JSON reply checked against `shared/protocol`,
 * and every failure mapped to a {@link SandboxClientError} in plain words.
 */
import type { Static, TSchema } from '@sinclair/typebox';
// Value.Check interprets schemas; TypeCompiler would need eval, which MV3's CSP forbids.
import { Value } from '@sinclair/typebox/value';
import { ErrorBody } from '../../../shared/protocol';
import { SandboxClientError, type SandboxErrorCode } from '../../core/sandbox/errors';
import { isRelayError } from '../../core/sync/errors';

/** Injected `fetch`. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** Maps a relay error code (HTTP body or WebSocket `run-error`) to a sandbox error. */
export function fromRelayCode(
  code: string | undefined,
  status: number | undefined,
  message: string | undefined,
  retryAfter?: number,
): SandboxClientError {
  const known: Partial<Record<string, SandboxErrorCode>> = {
    'sandbox-off': 'sandbox-off',
    'rate-limited': 'busy',
    'quota-exceeded': 'quota-exceeded',
    'payload-too-large': 'too-large',
    'not-found': 'not-found',
    unauthorized: 'unauthorized',
    'token-expired': 'unauthorized',
    unavailable: 'unavailable',
    internal: 'unavailable',
  };
  let mapped = code === undefined ? undefined : known[code];
  if (mapped === undefined) {
    if (status === 401) mapped = 'unauthorized';
    else if (status === 429) mapped = 'busy';
    else if (status === 413) mapped = 'too-large';
    else if (status === 404) mapped = 'not-found';
    else if (status === 507) mapped = 'quota-exceeded';
    else if (status !== undefined && status >= 500) mapped = 'unavailable';
    else mapped = 'rejected';
  }
  // The relay's own words for refusals it explains (bad request, sandbox off); ours otherwise.
  const own = mapped === 'rejected' || mapped === 'sandbox-off' ? message : undefined;
  return new SandboxClientError(mapped, {
    ...(own ? { message: own } : {}),
    ...(retryAfter === undefined ? {} : { retryAfter }),
  });
}

/** A fresh access token, failures mapped (signed out → unauthorized, offline → relay-down). */
export async function tokenOf(get: () => Promise<string>): Promise<string> {
  try {
    return await get();
  } catch (cause) {
    if (isRelayError(cause, 'unauthorized') || isRelayError(cause, 'token-reused')) {
      throw new SandboxClientError('unauthorized', { cause });
    }
    throw new SandboxClientError('relay-down', { cause });
  }
}

/** One sandbox request. */
export interface SandboxRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Absolute URL (built by the client from the relay base). */
  url: string;
  token: string;
  /** Raw bytes (uploads) or JSON. */
  body?: Uint8Array | object;
  timeoutMs: number;
}

const isTimeout = (e: unknown) => e instanceof DOMException && e.name === 'TimeoutError';

/** Sends one request; a non-2xx answer throws the mapped error. */
async function send(fetchFn: Fetch, req: SandboxRequest, accept: string): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${req.token}`, accept };
  let body: BodyInit | undefined;
  if (req.body instanceof Uint8Array) {
    headers['content-type'] = 'application/octet-stream';
    body = new Blob([req.body as Uint8Array<ArrayBuffer>]);
  } else if (req.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.body);
  }
  let res: Response;
  try {
    res = await fetchFn(req.url, {
      method: req.method,
      headers,
      ...(body === undefined ? {} : { body }),
      // Never send cookies or follow a redirect elsewhere with the bearer token.
      credentials: 'omit',
      redirect: 'error',
      cache: 'no-store',
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (cause) {
    throw new SandboxClientError(isTimeout(cause) ? 'timeout' : 'relay-down', { cause });
  }
  if (res.ok) return res;
  let json: unknown;
  try {
    json = JSON.parse(await res.text());
  } catch {
    json = undefined;
  }
  const err = Value.Check(ErrorBody, json) ? json.error : undefined;
  const header = Number(res.headers.get('retry-after') ?? Number.NaN);
  const retryAfter = err?.retryAfter ?? (Number.isFinite(header) ? header : undefined);
  throw fromRelayCode(err?.code, res.status, err?.message, retryAfter);
}

/** A JSON request whose reply must match `schema`. */
export async function sandboxJson<S extends TSchema>(
  fetchFn: Fetch,
  req: SandboxRequest,
  schema: S,
): Promise<Static<S>> {
  const res = await send(fetchFn, req, 'application/json');
  let json: unknown;
  try {
    json = JSON.parse(await res.text());
  } catch (cause) {
    throw new SandboxClientError(isTimeout(cause) ? 'timeout' : 'bad-reply', { cause });
  }
  if (!Value.Check(schema, json)) throw new SandboxClientError('bad-reply');
  return json;
}

/** A download: the raw bytes. */
export async function sandboxBytes(fetchFn: Fetch, req: SandboxRequest): Promise<Uint8Array> {
  const res = await send(fetchFn, req, 'application/octet-stream');
  try {
    return new Uint8Array(await res.arrayBuffer());
  } catch (cause) {
    throw new SandboxClientError(isTimeout(cause) ? 'timeout' : 'relay-down', { cause });
  }
}
