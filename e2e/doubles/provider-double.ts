/**
 * One local HTTP server that speaks the streaming wire formats of OpenAI, Anthropic,
 * Gemini and Ollama's OpenAI-compatible API, so the official SDKs run against it
 * unchanged. Behaviour is scripted per request (see Scenario). Loopback only.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  echo,
  keyOf,
  readBody,
  routeOf,
  sendJson,
  stringField,
  wantsUsage,
  writeFrames,
  type DoubleApi,
} from './double-http';
import { chunkText, type Scenario, type ScenarioUsage, type WireFormat } from './scenario';
import { createAnthropicWire } from './wire-anthropic';
import { createGeminiWire } from './wire-gemini';
import { createOpenAiWire } from './wire-openai';

export type { Scenario, ScenarioUsage } from './scenario';

export type { DoubleApi } from './double-http';

/** One request the double received, kept for assertions. */
export interface RecordedRequest {
  api: DoubleApi | 'unknown';
  method: string;
  /** Path without the query string. */
  path: string;
  /** The query string, including `?`, or ''. */
  search: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined for GET / non-JSON. */
  body: unknown;
}

/** Options of createProviderDouble. */
export interface ProviderDoubleOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1' | '::1';
  /** When set, requests carrying another key get each provider's 401 (Gemini: 400). */
  apiKey?: string;
  /** Model ids the list endpoints return. */
  models?: string[];
  /** Ollama answers extension Origins with an empty 403 unless this is true (OLLAMA_ORIGINS). */
  allowExtensionOrigins?: boolean;
}

/** A running double. */
export interface ProviderDouble {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  /**
   * Queues behaviour for the next API requests, in order; afterwards the default echo
   * resumes. A model-list request takes a queued error but never an answer.
   */
  script(next: Scenario | Scenario[]): void;
  requests: RecordedRequest[];
  /** The base URL each SDK expects for this double (OpenAI's includes /v1). */
  baseUrl(api: DoubleApi): string;
  close(): Promise<void>;
}

const EXTENSION_ORIGIN = /^(chrome|moz|safari-web)-extension:\/\//;

/** Starts a provider double on loopback. */
export async function createProviderDouble(
  opts: ProviderDoubleOptions = {},
): Promise<ProviderDouble> {
  const queue: Scenario[] = [];
  const requests: RecordedRequest[] = [];
  const models = opts.models ?? ['double-small', 'double-large'];
  const wires: Record<DoubleApi, WireFormat> = {
    openai: createOpenAiWire(),
    ollama: createOpenAiWire({ reasoningField: 'reasoning' }),
    anthropic: createAnthropicWire(),
    gemini: createGeminiWire(),
  };
  let calls = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? '/', 'http://double.invalid');
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      body = undefined;
    }
    const route = routeOf(req.method ?? 'GET', parsed.pathname, req.headers);
    requests.push({
      api: route?.api ?? 'unknown',
      method: req.method ?? 'GET',
      path: parsed.pathname,
      search: parsed.search,
      headers: req.headers,
      body,
    });
    if (route === undefined) {
      sendJson(res, 404, {}, { error: { message: 'No such route on the provider double.' } });
      return;
    }
    const wire = wires[route.api];
    if (route.api === 'ollama') {
      // Ollama's CORS check: an empty 403 for browser-extension origins unless allowed.
      const origin = req.headers.origin ?? '';
      if (EXTENSION_ORIGIN.test(origin) && opts.allowExtensionOrigins !== true) {
        res.writeHead(403, { 'content-length': '0' }).end();
        return;
      }
    }
    // Ollama ignores keys, but the same route stands in for vLLM / OpenRouter, which check them.
    if (opts.apiKey !== undefined && keyOf(route.api, req.headers, parsed) !== opts.apiKey) {
      const e = wire.error(401, undefined);
      sendJson(res, e.status, e.headers, e.body);
      return;
    }
    // A model list takes only an error scenario (Test connection failing); answers stay
    // queued for the chat request they were scripted for, however often models are listed.
    const scenario =
      route.op === 'models' && queue[0]?.kind !== 'error' ? undefined : queue.shift();
    if (scenario?.kind === 'error') {
      const e = wire.error(scenario.status, scenario.retryAfterSeconds, scenario.reason);
      sendJson(res, e.status, e.headers, scenario.body ?? e.body);
      return;
    }
    if (route.op === 'models') {
      sendJson(res, 200, {}, wire.models(models));
      return;
    }
    const model = route.model ?? stringField(body, 'model') ?? 'double-model';
    await streamAnswer(res, wire, route.api, model, body, scenario ?? echo(route.api, body));
  }

  async function streamAnswer(
    res: ServerResponse,
    wire: WireFormat,
    api: DoubleApi,
    model: string,
    body: unknown,
    s: Exclude<Scenario, { kind: 'error' }>,
  ): Promise<void> {
    const includeUsage = api === 'openai' || api === 'ollama' ? wantsUsage(body) : true;
    const w = wire.stream({ model, includeUsage });
    const text = 'text' in s && s.text !== undefined ? s.text : 'Partial answer from the double.';
    const pieces = chunkText(text, s.kind === 'text' ? (s.chunkSize ?? 4) : 4);
    const usage: ScenarioUsage = ('usage' in s ? s.usage : undefined) ?? {
      inputTokens: Math.ceil(JSON.stringify(body ?? '').length / 4),
      outputTokens: pieces.length,
    };
    const content = [...w.head(usage)];
    if (s.kind === 'text' && s.reasoning) {
      for (const r of chunkText(s.reasoning, 4)) content.push(...w.reasoning(r));
    }
    for (const p of pieces) content.push(...w.text(p));
    if (s.kind === 'tool-call') {
      content.push(
        ...w.toolCall(s.id ?? `call_double_${++calls}`, s.name, JSON.stringify(s.arguments)),
      );
    }
    const finish = w.finish(s.kind === 'tool-call' ? 'tool' : 'stop', usage);
    res.writeHead(200, {
      'content-type': wire.contentType,
      'cache-control': 'no-cache',
      'request-id': 'req_double',
    });
    res.flushHeaders();
    const delayMs = s.kind === 'text' ? (s.delayMs ?? 0) : 0;
    switch (s.kind) {
      case 'disconnect':
        await writeFrames(res, [...content, ...finish].slice(0, s.afterChunks), delayMs);
        // Cut the TCP connection without ending the chunked body: clients see "terminated".
        res.socket?.destroy();
        return;
      case 'mid-stream-error':
        await writeFrames(res, [...content, ...w.streamError()], delayMs);
        break;
      case 'no-done':
        await writeFrames(res, content, delayMs);
        break;
      default:
        await writeFrames(res, [...content, ...finish], delayMs);
    }
    if (!res.destroyed) res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = (opts.host ?? '127.0.0.1') === '::1' ? '[::1]' : '127.0.0.1';
  const url = `http://${host}:${port}`;
  return {
    url,
    port,
    requests,
    script(next) {
      queue.push(...(Array.isArray(next) ? next : [next]));
    },
    baseUrl(api) {
      return api === 'openai' ? `${url}/v1` : api === 'ollama' ? `${url}/ollama/v1` : url;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
