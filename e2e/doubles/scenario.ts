/**
 * What the provider double should do with the next request, and the per-provider wire
 * writers it uses. Test-only code: nothing in extension/ may import it.
 */

/** Token counts in Nook's sense: `inputTokens` includes the cached part. */
export interface ScenarioUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
}

/** A scripted behaviour for one request. */
export type Scenario =
  | {
      kind: 'text';
      text: string;
      /** Characters per streamed delta (default 4). */
      chunkSize?: number;
      /** Pause before each frame: slow-token mode, e.g. to press Stop mid-answer. */
      delayMs?: number;
      usage?: ScenarioUsage;
      /** Thinking text streamed first (Anthropic thinking, Gemini thought parts, Ollama `delta.reasoning`). */
      reasoning?: string;
    }
  | {
      kind: 'tool-call';
      name: string;
      arguments: Record<string, unknown>;
      /** Text streamed before the call. */
      text?: string;
      id?: string;
      usage?: ScenarioUsage;
    }
  | {
      kind: 'error';
      /** 401 is rendered as each provider really answers a bad key (Gemini: 400 API_KEY_INVALID). */
      status: number;
      retryAfterSeconds?: number;
      /** Replaces the provider-shaped JSON body. */
      body?: unknown;
      /** Shape the body as the provider's "context too long" error (status 400). */
      reason?: 'context-length';
    }
  /** Streams `afterChunks` frames of a normal answer, then cuts the socket. */
  | { kind: 'disconnect'; afterChunks: number; text?: string }
  /** Streams some text, then the provider's in-stream error (Anthropic `overloaded_error`). */
  | { kind: 'mid-stream-error'; text?: string }
  /** Streams the text but never the finish reason / `[DONE]`, then ends the response cleanly. */
  | { kind: 'no-done'; text?: string };

/** Stateful writer of one streamed response in one provider's wire format. */
export interface WireStream {
  head(usage: ScenarioUsage): string[];
  reasoning(delta: string): string[];
  text(delta: string): string[];
  toolCall(id: string, name: string, argsJson: string): string[];
  finish(reason: 'stop' | 'tool', usage: ScenarioUsage): string[];
  streamError(): string[];
}

/** A non-streamed HTTP answer. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Per-request facts a wire writer needs. */
export interface WireContext {
  model: string;
  /** OpenAI: `stream_options.include_usage` was requested. */
  includeUsage: boolean;
}

/** One provider's wire format. */
export interface WireFormat {
  contentType: string;
  stream(ctx: WireContext): WireStream;
  error(
    status: number,
    retryAfterSeconds: number | undefined,
    reason?: 'context-length',
  ): WireResponse;
  models(ids: readonly string[]): unknown;
}

/** Splits text into deltas of `size` characters (by code point, so emoji stay whole). */
export function chunkText(text: string, size: number): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += Math.max(1, size)) {
    out.push(chars.slice(i, i + Math.max(1, size)).join(''));
  }
  return out;
}

/** Splits a JSON string in two, so clients must join argument fragments. */
export function splitInTwo(s: string): string[] {
  const mid = Math.floor(s.length / 2);
  return mid === 0 ? [s] : [s.slice(0, mid), s.slice(mid)];
}
