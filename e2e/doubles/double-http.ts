/**
 * HTTP plumbing of the provider double: routing, key checks, the default echo, and
 * frame writing. Test-only.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Scenario } from './scenario';

/** Which API a request was routed to. */
export type DoubleApi = 'openai' | 'anthropic' | 'gemini' | 'ollama';

/** Where a request goes. */
export interface Route {
  api: DoubleApi;
  op: 'chat' | 'models';
  model?: string;
}

export function routeOf(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
): Route | undefined {
  // @google/genai 3.x calls /v1/…, older releases /v1beta/…; the Gemini API serves both.
  const gemini = /^\/v1(?:beta)?\/models\/([^/:]+):streamGenerateContent$/.exec(path);
  if (gemini && method === 'POST')
    return { api: 'gemini', op: 'chat', model: decodeURIComponent(gemini[1] ?? '') };
  if (path === '/v1beta/models' && method === 'GET') return { api: 'gemini', op: 'models' };
  if (path === '/v1/messages' && method === 'POST') return { api: 'anthropic', op: 'chat' };
  // OpenAI, Anthropic and Gemini share GET /v1/models: tell them apart by the headers
  // each SDK always sends.
  if (path === '/v1/models' && method === 'GET') {
    if (headers['anthropic-version']) return { api: 'anthropic', op: 'models' };
    if (headers['x-goog-api-key'] || headers['x-goog-api-client'])
      return { api: 'gemini', op: 'models' };
    return { api: 'openai', op: 'models' };
  }
  if (path === '/v1/chat/completions' && method === 'POST') return { api: 'openai', op: 'chat' };
  if (path === '/ollama/v1/chat/completions' && method === 'POST')
    return { api: 'ollama', op: 'chat' };
  if (path === '/ollama/v1/models' && method === 'GET') return { api: 'ollama', op: 'models' };
  return undefined;
}

export function keyOf(api: DoubleApi, headers: IncomingHttpHeaders, url: URL): string | undefined {
  // Anthropic's API takes x-api-key; @anthropic-ai/sdk 1.x sends the key as a bearer token.
  if (api === 'anthropic') return header(headers['x-api-key']) ?? bearer(headers);
  if (api === 'gemini')
    return header(headers['x-goog-api-key']) ?? url.searchParams.get('key') ?? undefined;
  return bearer(headers);
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  return header(headers.authorization)?.replace(/^Bearer /, '');
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The default reply: "Echo: " + the last user text, so tests can check what was sent. */
export function echo(api: DoubleApi, body: unknown): Exclude<Scenario, { kind: 'error' }> {
  return { kind: 'text', text: `Echo: ${lastUserText(api, body)}` };
}

function lastUserText(api: DoubleApi, body: unknown): string {
  const b = (body ?? {}) as Record<string, unknown>;
  const list = (api === 'gemini' ? b.contents : b.messages) as unknown[] | undefined;
  const user = [...(list ?? [])].reverse().find((m) => (m as { role?: string }).role === 'user') as
    { content?: unknown; parts?: unknown } | undefined;
  const c = api === 'gemini' ? user?.parts : user?.content;
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  return c
    .map((p) => (p as { text?: unknown }).text)
    .filter((t): t is string => typeof t === 'string')
    .join('');
}

export function wantsUsage(body: unknown): boolean {
  const so = (body as { stream_options?: { include_usage?: unknown } } | undefined)?.stream_options;
  return so?.include_usage === true;
}

export function stringField(body: unknown, key: string): string | undefined {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

export async function writeFrames(
  res: ServerResponse,
  frames: string[],
  delayMs: number,
): Promise<void> {
  for (const f of frames) {
    if (res.destroyed || res.writableEnded) return;
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (res.destroyed) return;
    // Wait until the frame is handed to the socket, so a scripted disconnect right
    // after it cannot discard it.
    await new Promise<void>((resolve) => res.write(f, () => resolve()));
  }
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
