/**
 * The one entry point the extension uses to talk to AI providers. Entrypoints and the
 * background wiring import this; core/ only sees the ProviderAdapter contract.
 */
import { ProviderKind, type ProviderAdapter, type ProviderConfig } from '../../core/chat/provider';
import { assertValidProviderConfig } from '../../core/chat/provider-error';
import { createAnthropicAdapter } from './anthropic';
import { createCompatibleAdapter } from './compatible';
import { createGeminiAdapter } from './gemini';
import { createOpenAiAdapter, type AdapterOptions } from './openai';

export type { AdapterOptions } from './openai';
export type { RetryPolicy } from './stream-guard';

/**
 * Builds the adapter for a configured provider. Throws ProviderError('config') before any
 * request when the settings are unusable (missing key, non-https remote URL, …).
 */
export function createProviderAdapter(
  cfg: ProviderConfig,
  opts: AdapterOptions = {},
): ProviderAdapter {
  assertValidProviderConfig(cfg);
  const clean: ProviderConfig = {
    ...cfg,
    apiKey: cfg.apiKey?.trim() || undefined,
    // The SDKs append their own paths; a trailing slash would double it.
    baseUrl: cfg.baseUrl?.trim().replace(/\/+$/, '') || undefined,
  };
  switch (clean.kind) {
    case ProviderKind.OpenAI:
      return createOpenAiAdapter(clean, opts);
    case ProviderKind.Anthropic:
      return createAnthropicAdapter(clean, opts);
    case ProviderKind.Gemini:
      return createGeminiAdapter(clean, opts);
    case ProviderKind.Compatible:
      return createCompatibleAdapter(clean, opts);
  }
}
