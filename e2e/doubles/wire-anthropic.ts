/**
 * Anthropic Messages SSE, as @anthropic-ai/sdk's Stream parses it: named events
 * (`message_start`, `content_block_start/delta/stop`, `message_delta`, `message_stop`),
 * `ping` keep-alives, and `event: error` for failures after the 200 was sent.
 */
import type { ScenarioUsage, WireFormat, WireStream } from './scenario';
import { splitInTwo } from './scenario';

const ev = (event: string, data: unknown): string =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** Creates the Anthropic wire format. */
export function createAnthropicWire(): WireFormat {
  let counter = 0;
  return {
    contentType: 'text/event-stream; charset=utf-8',
    stream({ model }): WireStream {
      const msgId = `msg_double_${++counter}`;
      let index = -1;
      let open: 'text' | 'thinking' | undefined;
      const close = (): string[] => {
        if (open === undefined) return [];
        open = undefined;
        return [ev('content_block_stop', { type: 'content_block_stop', index })];
      };
      const ensure = (kind: 'text' | 'thinking'): string[] => {
        if (open === kind) return [];
        const frames = close();
        index += 1;
        open = kind;
        const block =
          kind === 'text'
            ? { type: 'text', text: '' }
            : { type: 'thinking', thinking: '', signature: '' };
        frames.push(
          ev('content_block_start', { type: 'content_block_start', index, content_block: block }),
        );
        return frames;
      };
      return {
        head: (usage: ScenarioUsage) => [
          ev('message_start', {
            type: 'message_start',
            message: {
              id: msgId,
              type: 'message',
              role: 'assistant',
              model,
              content: [],
              stop_reason: null,
              stop_sequence: null,
              // Anthropic's input_tokens excludes cache reads; Nook's inputTokens includes them.
              usage: {
                input_tokens: usage.inputTokens - (usage.cachedInputTokens ?? 0),
                cache_read_input_tokens: usage.cachedInputTokens ?? 0,
                cache_creation_input_tokens: 0,
                output_tokens: 1,
              },
            },
          }),
          ev('ping', { type: 'ping' }),
        ],
        reasoning: (delta) => [
          ...ensure('thinking'),
          ev('content_block_delta', {
            type: 'content_block_delta',
            index,
            delta: { type: 'thinking_delta', thinking: delta },
          }),
        ],
        text: (delta) => [
          ...ensure('text'),
          ev('content_block_delta', {
            type: 'content_block_delta',
            index,
            delta: { type: 'text_delta', text: delta },
          }),
        ],
        toolCall: (id, name, argsJson) => {
          const frames = close();
          index += 1;
          frames.push(
            ev('content_block_start', {
              type: 'content_block_start',
              index,
              content_block: { type: 'tool_use', id, name, input: {} },
            }),
            ...splitInTwo(argsJson).map((part) =>
              ev('content_block_delta', {
                type: 'content_block_delta',
                index,
                delta: { type: 'input_json_delta', partial_json: part },
              }),
            ),
            ev('content_block_stop', { type: 'content_block_stop', index }),
          );
          return frames;
        },
        finish: (reason, usage) => [
          ...close(),
          ev('message_delta', {
            type: 'message_delta',
            delta: {
              stop_reason: reason === 'tool' ? 'tool_use' : 'end_turn',
              stop_sequence: null,
            },
            usage: { output_tokens: usage.outputTokens },
          }),
          ev('message_stop', { type: 'message_stop' }),
        ],
        streamError: () => [
          ev('error', {
            type: 'error',
            error: { type: 'overloaded_error', message: 'Overloaded' },
          }),
        ],
      };
    },
    error(status, retryAfterSeconds, reason) {
      const headers: Record<string, string> = { 'request-id': 'req_double' };
      if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
      const [type, message] =
        reason === 'context-length'
          ? ['invalid_request_error', 'prompt is too long: 250000 tokens > 200000 maximum']
          : (ANTHROPIC_ERRORS[status] ?? ['api_error', 'Internal server error']);
      return {
        status,
        headers,
        body: { type: 'error', error: { type, message }, request_id: 'req_double' },
      };
    },
    models: (ids) => ({
      data: ids.map((id) => ({
        type: 'model',
        id,
        display_name: id,
        created_at: '2025-01-01T00:00:00Z',
      })),
      has_more: false,
      first_id: ids[0] ?? null,
      last_id: ids[ids.length - 1] ?? null,
    }),
  };
}

const ANTHROPIC_ERRORS: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'Invalid request'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'model: not found'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'],
  529: ['overloaded_error', 'Overloaded'],
};
