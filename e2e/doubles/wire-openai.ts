/**
 * OpenAI Chat Completions SSE, as openai-node's Stream parses it: `data: {json}` frames,
 * an optional usage-only chunk (when `stream_options.include_usage`), then `data: [DONE]`.
 * The Ollama variant adds its non-standard `delta.reasoning` thinking field.
 */
import { splitInTwo, type ScenarioUsage, type WireFormat, type WireStream } from './scenario';

const sse = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;

/** Options of the OpenAI-shaped wire. */
export interface OpenAiWireOptions {
  /** Ollama streams thinking as `delta.reasoning`; OpenAI itself streams none. */
  reasoningField?: 'reasoning';
}

/** Creates the OpenAI (or Ollama-flavoured) wire format. */
export function createOpenAiWire(opts: OpenAiWireOptions = {}): WireFormat {
  let counter = 0;
  return {
    contentType: 'text/event-stream; charset=utf-8',
    stream({ model, includeUsage }): WireStream {
      const id = `chatcmpl-double-${++counter}`;
      const created = 1_760_000_000;
      const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
        sse({
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          system_fingerprint: 'fp_double',
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
          ...(includeUsage ? { usage: null } : {}),
        });
      return {
        head: () => [chunk({ role: 'assistant', content: '', refusal: null })],
        reasoning: (delta) =>
          opts.reasoningField === undefined ? [] : [chunk({ [opts.reasoningField]: delta })],
        text: (delta) => [chunk({ content: delta })],
        toolCall: (callId, name, argsJson) => [
          chunk({
            tool_calls: [
              { index: 0, id: callId, type: 'function', function: { name, arguments: '' } },
            ],
          }),
          ...splitInTwo(argsJson).map((part) =>
            chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] }),
          ),
        ],
        finish: (reason, usage: ScenarioUsage) => [
          chunk({}, reason === 'tool' ? 'tool_calls' : 'stop'),
          ...(includeUsage
            ? [
                sse({
                  id,
                  object: 'chat.completion.chunk',
                  created,
                  model,
                  system_fingerprint: 'fp_double',
                  choices: [],
                  usage: {
                    prompt_tokens: usage.inputTokens,
                    completion_tokens: usage.outputTokens,
                    total_tokens: usage.inputTokens + usage.outputTokens,
                    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
                    completion_tokens_details: { reasoning_tokens: 0 },
                  },
                }),
              ]
            : []),
          'data: [DONE]\n\n',
        ],
        // openai-node raises any `data: {"error": …}` frame as an APIError without a status.
        streamError: () => [
          sse({
            error: {
              message: 'The server had an error while processing your request.',
              type: 'server_error',
              param: null,
              code: null,
            },
          }),
        ],
      };
    },
    error(status, retryAfterSeconds, reason) {
      const headers: Record<string, string> = {};
      if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
      return { status, headers, body: { error: openAiErrorBody(status, reason) } };
    },
    models: (ids) => ({
      object: 'list',
      data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'double' })),
    }),
  };
}

function openAiErrorBody(status: number, reason?: 'context-length'): Record<string, unknown> {
  if (reason === 'context-length') {
    return {
      message:
        "This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens.",
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    };
  }
  const byStatus: Record<number, [string, string, string | null]> = {
    400: ['Invalid request.', 'invalid_request_error', null],
    401: ['Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'],
    403: ['You are not allowed to sample from this model.', 'invalid_request_error', null],
    404: [
      'The model does not exist or you do not have access to it.',
      'invalid_request_error',
      'model_not_found',
    ],
    429: ['Rate limit reached for requests.', 'requests', 'rate_limit_exceeded'],
  };
  const [message, type, code] = byStatus[status] ?? [
    'The server had an error while processing your request.',
    'server_error',
    null,
  ];
  return { message, type, param: null, code };
}
