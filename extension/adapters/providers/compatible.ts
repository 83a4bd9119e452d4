/**
 * OpenAI-compatible endpoints (Ollama, LM Studio, llama.cpp server, OpenRouter, vLLM):
 * the `openai` SDK pointed at the user's base URL. The key is optional, thinking text in
 * `delta.reasoning` / `delta.reasoning_content` is streamed as reasoning, and the token
 * limit is sent as `max_tokens`, which these servers understand.
 */
import { ProviderKind, type ProviderAdapter, type ProviderConfig } from '../../core/chat/provider';
import { createOpenAiProtocolAdapter, type AdapterOptions } from './openai';

/** Creates the adapter for an OpenAI-compatible server at `cfg.baseUrl`. */
export function createCompatibleAdapter(
  cfg: ProviderConfig,
  opts: AdapterOptions = {},
): ProviderAdapter {
  return createOpenAiProtocolAdapter(cfg, opts, {
    kind: ProviderKind.Compatible,
    maxTokensField: 'max_tokens',
  });
}
