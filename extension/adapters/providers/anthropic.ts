/**
 * Anthropic Messages through the official `@anthropic-ai/sdk`, streaming raw events:
 * text_delta → text, thinking_delta → reasoning, tool_use blocks (input_json_delta
 * fragments) → tool calls, message_start/message_delta usage → usage.
 */
import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  StopReason,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import {
  ProviderKind,
  type ChatRequest,
  type ChatTurn,
  type FinishReason,
  type ProviderAdapter,
  type ProviderConfig,
  type StreamEvent,
  type ToolSpec,
} from '../../core/chat/provider';
import { mapProviderError } from './map-error';
import type { AdapterOptions } from './openai';
import { DEFAULT_RETRY, guardStream, parseToolArguments } from './stream-guard';

/** Anthropic requires max_tokens; used when the request sets none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Creates the adapter for Anthropic. */
export function createAnthropicAdapter(
  cfg: ProviderConfig,
  opts: AdapterOptions = {},
): ProviderAdapter {
  const client = new Anthropic({
    apiKey: cfg.apiKey,
    baseURL: cfg.baseUrl,
    // A browser extension calling Anthropic with the user's own key (stored encrypted on
    // the user's machine). The SDK then sends anthropic-dangerous-direct-browser-access.
    dangerouslyAllowBrowser: true,
    // No silent SDK retries (it honours retry-after for up to an hour); see stream-guard.
    maxRetries: 0,
    fetch: opts.fetch,
  });
  const provider = cfg.label;
  const retry = opts.retry ?? DEFAULT_RETRY;

  async function* run(req: ChatRequest): AsyncGenerator<StreamEvent> {
    // temperature is not sent: this SDK version no longer has the field.
    const params: MessageCreateParamsStreaming = {
      model: req.model,
      max_tokens: req.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
      messages: toMessages(req.turns),
      stream: true,
      ...(req.system ? { system: req.system } : {}),
      ...(req.tools?.length ? { tools: req.tools.map(toTool) } : {}),
    };
    const stream = await client.messages.create(params, { signal: req.signal });
    const tools = new Map<number, { id: string; name: string; json: string }>();
    let input = 0;
    let cached = 0;
    let output = 0;
    let stop: StopReason | null = null;
    let stopped = false;
    for await (const ev of stream) {
      switch (ev.type) {
        case 'message_start': {
          const u = ev.message.usage;
          cached = u.cache_read_input_tokens ?? 0;
          // input_tokens excludes cache reads and writes; Nook's inputTokens is the total.
          input = u.input_tokens + cached + (u.cache_creation_input_tokens ?? 0);
          output = u.output_tokens;
          break;
        }
        case 'content_block_start':
          if (ev.content_block.type === 'tool_use') {
            tools.set(ev.index, { id: ev.content_block.id, name: ev.content_block.name, json: '' });
          }
          break;
        case 'content_block_delta':
          if (ev.delta.type === 'text_delta') yield { type: 'text', delta: ev.delta.text };
          else if (ev.delta.type === 'thinking_delta')
            yield { type: 'reasoning', delta: ev.delta.thinking };
          else if (ev.delta.type === 'input_json_delta') {
            const t = tools.get(ev.index);
            if (t) t.json += ev.delta.partial_json;
          }
          break;
        case 'content_block_stop': {
          const t = tools.get(ev.index);
          if (t) {
            tools.delete(ev.index);
            yield {
              type: 'tool-call',
              call: { id: t.id, name: t.name, arguments: parseToolArguments(t.json) },
            };
          }
          break;
        }
        case 'message_delta':
          stop = ev.delta.stop_reason ?? stop;
          // message_delta usage is cumulative.
          output = ev.usage.output_tokens;
          break;
        case 'message_stop':
          stopped = true;
          break;
      }
    }
    if (!stopped || stop === null) return; // guardStream reports the missing end as interrupted
    const usage = {
      inputTokens: input,
      outputTokens: output,
      ...(cached ? { cachedInputTokens: cached } : {}),
    };
    yield { type: 'usage', usage };
    yield { type: 'done', finishReason: mapStop(stop) };
  }

  return {
    kind: ProviderKind.Anthropic,
    stream: (req) =>
      guardStream(() => run(req), { family: 'anthropic', provider, signal: req.signal, retry }),
    async listModels() {
      try {
        const ids: string[] = [];
        for await (const m of client.models.list()) ids.push(m.id);
        return ids.sort();
      } catch (e) {
        throw mapProviderError('anthropic', e, { provider, afterOutput: false });
      }
    },
    async testConnection() {
      await this.listModels();
    },
  };
}

function mapStop(s: StopReason): FinishReason {
  switch (s) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}

function toTool(t: ToolSpec): Tool {
  return {
    name: t.name,
    description: t.description,
    input_schema: { type: 'object', ...t.parameters },
  };
}

/** Tool results go back as tool_result blocks in a user message; Anthropic wants all
 * results for one assistant turn in the same message, so consecutive ones are merged. */
function toMessages(turns: ChatTurn[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const t of turns) {
    if (t.role === 'user') {
      out.push({ role: 'user', content: t.content });
    } else if (t.role === 'assistant') {
      const blocks: ContentBlockParam[] = [];
      if (t.content !== '') blocks.push({ type: 'text', text: t.content });
      for (const c of t.toolCalls ?? [])
        blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments });
      out.push({ role: 'assistant', content: blocks.length ? blocks : t.content });
    } else {
      const block = {
        type: 'tool_result' as const,
        tool_use_id: t.toolCallId ?? '',
        content: t.content,
      };
      const prev = out[out.length - 1];
      if (
        prev?.role === 'user' &&
        Array.isArray(prev.content) &&
        prev.content.every((b) => b.type === 'tool_result')
      ) {
        prev.content.push(block);
      } else {
        out.push({ role: 'user', content: [block] });
      }
    }
  }
  return out;
}
