/**
 * Gemini API `streamGenerateContent?alt=sse`, as @google/genai parses it: `data: {json}`
 * frames separated by CRLF CRLF, each a GenerateContentResponse; the last candidate
 * carries `finishReason`; usage is `usageMetadata`; errors are google.rpc.Status bodies
 * (a bad key is 400 INVALID_ARGUMENT + ErrorInfo API_KEY_INVALID, a 429 carries
 * RetryInfo in the body, not a header).
 */
import type { ScenarioUsage, WireFormat, WireStream } from './scenario';

const sse = (data: unknown): string => `data: ${JSON.stringify(data)}\r\n\r\n`;

/** Creates the Gemini wire format. */
export function createGeminiWire(): WireFormat {
  let counter = 0;
  return {
    contentType: 'text/event-stream',
    stream({ model }): WireStream {
      const responseId = `double-${++counter}`;
      let usage: ScenarioUsage = { inputTokens: 0, outputTokens: 0 };
      let sent = 0;
      // Like the real API, every chunk repeats usageMetadata with running totals, so a
      // client that keeps the first one (instead of the last) under-reports.
      const meta = (final = false): Record<string, unknown> => ({
        promptTokenCount: usage.inputTokens,
        candidatesTokenCount: final ? usage.outputTokens : Math.min(++sent, usage.outputTokens),
        totalTokenCount:
          usage.inputTokens + (final ? usage.outputTokens : Math.min(sent, usage.outputTokens)),
        ...(usage.cachedInputTokens ? { cachedContentTokenCount: usage.cachedInputTokens } : {}),
      });
      const chunk = (parts: unknown[], finishReason?: string): string =>
        sse({
          candidates: [
            {
              content: { parts, role: 'model' },
              index: 0,
              ...(finishReason ? { finishReason } : {}),
            },
          ],
          usageMetadata: meta(finishReason !== undefined),
          modelVersion: model,
          responseId,
        });
      return {
        head: (u) => {
          usage = u;
          return [];
        },
        reasoning: (delta) => [chunk([{ text: delta, thought: true }])],
        text: (delta) => [chunk([{ text: delta }])],
        toolCall: (id, name, argsJson) => [
          chunk([{ functionCall: { id, name, args: JSON.parse(argsJson) as unknown } }]),
        ],
        // Gemini reports STOP for function calls too; the client infers "tool calls".
        finish: () => [chunk([{ text: '' }], 'STOP')],
        streamError: () => [
          sse({
            error: {
              code: 503,
              message: 'The model is overloaded. Please try again later.',
              status: 'UNAVAILABLE',
            },
          }),
        ],
      };
    },
    error(status, retryAfterSeconds, reason) {
      return {
        status: status === 401 ? 400 : status,
        headers: {},
        body: geminiError(status, retryAfterSeconds, reason),
      };
    },
    models: (ids) => ({
      models: ids.map((id) => ({
        name: `models/${id}`,
        version: '001',
        displayName: id,
        inputTokenLimit: 1_048_576,
        outputTokenLimit: 65_536,
        supportedGenerationMethods: ['generateContent', 'countTokens'],
      })),
    }),
  };
}

function geminiError(
  status: number,
  retryAfterSeconds: number | undefined,
  reason?: 'context-length',
): Record<string, unknown> {
  if (reason === 'context-length') {
    return rpc(
      400,
      'INVALID_ARGUMENT',
      'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
    );
  }
  switch (status) {
    case 401:
      return rpc(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
      ]);
    case 403:
      return rpc(403, 'PERMISSION_DENIED', "Method doesn't allow unregistered callers.");
    case 404:
      return rpc(404, 'NOT_FOUND', 'models/unknown is not found for API version v1beta.');
    case 429:
      return rpc(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', [
        { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
        ...(retryAfterSeconds === undefined
          ? []
          : [
              {
                '@type': 'type.googleapis.com/google.rpc.RetryInfo',
                retryDelay: `${retryAfterSeconds}s`,
              },
            ]),
      ]);
    case 400:
      return rpc(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
    case 503:
      return rpc(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
    default:
      return rpc(status, 'INTERNAL', 'An internal error has occurred.');
  }
}

function rpc(
  code: number,
  status: string,
  message: string,
  details?: unknown[],
): Record<string, unknown> {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}
