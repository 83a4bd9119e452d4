/**
 * OpenAI Chat Completions through the official `openai` SDK. The same code serves every
 * OpenAI-compatible server (compatible.ts) with a custom base URL.
 */
import OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import {
  ProviderKind,
  type ChatRequest,
  type ChatTurn,
  type FinishReason,
  type ProviderAdapter,
  type ProviderConfig,
  type StreamEvent,
} from '../../core/chat/provider';
import { mapProviderError } from './map-error';
import { DEFAULT_RETRY, guardStream, parseToolArguments, type RetryPolicy } from './stream-guard';

/** Options shared by every adapter factory. */
export interface AdapterOptions {
  /** The fetch to use (tests, or a fetch that records the data-flow ledger). */
  fetch?: typeof fetch;
  retry?: RetryPolicy;
}

/** How an OpenAI-protocol server differs from OpenAI itself. */
interface Flavour {
  kind: typeof ProviderKind.OpenAI | typeof ProviderKind.Compatible;
  /** OpenAI wants max_completion_tokens (reasoning models reject max_tokens); most
   * compatible servers only know max_tokens. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
}

/** Creates the adapter for OpenAI itself. */
export function createOpenAiAdapter(
  cfg: ProviderConfig,
  opts: AdapterOptions = {},
): ProviderAdapter {
  return createOpenAiProtocolAdapter(cfg, opts, {
    kind: ProviderKind.OpenAI,
    maxTokensField: 'max_completion_tokens',
  });
}

/** @internal Shared by the OpenAI and OpenAI-compatible adapters. */
export function createOpenAiProtocolAdapter(
  cfg: ProviderConfig,
  opts: AdapterOptions,
  flavour: Flavour,
): ProviderAdapter {
  const keyless = (cfg.apiKey ?? '').trim() === '';
  const client = new OpenAI({
    // The SDK refuses to start without a key; keyless local servers get a placeholder
    // and the Authorization header is removed below, so nothing fake is sent.
    apiKey: keyless ? 'nook-no-key' : cfg.apiKey,
    baseURL: cfg.baseUrl,
    // Nook is a browser extension calling the provider with the user's own key, stored
    // encrypted on the user's machine: there is no server of ours to hide a key behind.
    dangerouslyAllowBrowser: true,
    // openai-node would otherwise wait out any retry-after (unbounded) in silence;
    // guardStream retries once, briefly, and shows everything else.
    maxRetries: 0,
    fetch: opts.fetch,
    defaultHeaders: keyless ? { Authorization: null } : undefined,
  });
  const provider = cfg.label;
  const retry = opts.retry ?? DEFAULT_RETRY;

  async function* run(req: ChatRequest): AsyncGenerator<StreamEvent> {
    const params: ChatCompletionCreateParamsStreaming = {
      model: req.model,
      messages: toMessages(req.system, req.turns),
      stream: true,
      stream_options: { include_usage: true },
      ...(req.tools?.length ? { tools: req.tools.map(toTool) } : {}),
      ...(req.maxTokens === undefined ? {} : { [flavour.maxTokensField]: req.maxTokens }),
      ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
    };
    const stream = await client.chat.completions.create(params, { signal: req.signal });
    const calls = new Map<number, { id: string; name: string; args: string }>();
    let finish: FinishReason | undefined;
    for await (const chunk of stream) {
      if (chunk.usage) {
        const cached = chunk.usage.prompt_tokens_details?.cached_tokens;
        yield {
          type: 'usage',
          usage: {
            inputTokens: chunk.usage.prompt_tokens,
            outputTokens: chunk.usage.completion_tokens,
            ...(cached ? { cachedInputTokens: cached } : {}),
          },
        };
      }
      const choice = chunk.choices[0];
      if (choice === undefined) continue;
      const reasoning = reasoningOf(choice.delta);
      if (reasoning) yield { type: 'reasoning', delta: reasoning };
      if (choice.delta.content) yield { type: 'text', delta: choice.delta.content };
      for (const tc of choice.delta.tool_calls ?? []) {
        const call = calls.get(tc.index) ?? { id: '', name: '', args: '' };
        if (tc.id) call.id = tc.id;
        if (tc.function?.name) call.name += tc.function.name;
        if (tc.function?.arguments) call.args += tc.function.arguments;
        calls.set(tc.index, call);
      }
      if (choice.finish_reason) {
        finish = mapFinish(choice.finish_reason);
        for (const [i, c] of [...calls.entries()].sort((a, b) => a[0] - b[0])) {
          const call = {
            id: c.id || `call_${i}`,
            name: c.name,
            arguments: parseToolArguments(c.args),
          };
          yield { type: 'tool-call', call };
        }
        calls.clear();
      }
    }
    // Without a finish reason the answer is incomplete, even if the HTTP body ended
    // cleanly (openai-node also ends quietly when `[DONE]` never came).
    if (finish !== undefined) yield { type: 'done', finishReason: finish };
  }

  return {
    kind: flavour.kind,
    stream: (req) =>
      guardStream(() => run(req), { family: 'openai', provider, signal: req.signal, retry }),
    async listModels() {
      try {
        const ids: string[] = [];
        for await (const m of client.models.list()) ids.push(m.id);
        return ids.sort();
      } catch (e) {
        throw mapProviderError('openai', e, { provider, afterOutput: false });
      }
    },
    async testConnection() {
      await this.listModels();
    },
  };
}

/** Reasoning text: Ollama streams `delta.reasoning`, vLLM/DeepSeek `delta.reasoning_content`;
 * neither is in the OpenAI types, so read them defensively. */
function reasoningOf(delta: ChatCompletionChunk.Choice.Delta): string | undefined {
  const d = delta as Record<string, unknown>;
  const r = d.reasoning ?? d.reasoning_content;
  return typeof r === 'string' && r !== '' ? r : undefined;
}

function mapFinish(r: string): FinishReason {
  switch (r) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

function toTool(t: {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  };
}

function toMessages(system: string | undefined, turns: ChatTurn[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = system ? [{ role: 'system', content: system }] : [];
  for (const t of turns) {
    if (t.role === 'user') out.push({ role: 'user', content: t.content });
    else if (t.role === 'tool')
      out.push({ role: 'tool', tool_call_id: t.toolCallId ?? '', content: t.content });
    else {
      out.push({
        role: 'assistant',
        content: t.content === '' && t.toolCalls?.length ? null : t.content,
        ...(t.toolCalls?.length
          ? {
              tool_calls: t.toolCalls.map((c) => ({
                id: c.id,
                type: 'function' as const,
                function: { name: c.name, arguments: JSON.stringify(c.arguments) },
              })),
            }
          : {}),
      });
    }
  }
  return out;
}
