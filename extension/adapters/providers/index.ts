/**
 * The one entry point the extension uses to talk to AI providers. Entrypoints and the
 * background wiring import this; core/ only sees the ProviderAdapter contract.
 *
 * Each SDK is loaded on demand (a dynamic import per kind): together they are most of
 * the side panel's JavaScript, and a panel that only shows the unlock screen or talks
 * to one provider should not parse all three.
 */
import {
  ProviderKind,
  type ChatRequest,
  type ProviderAdapter,
  type ProviderConfig,
  type StreamEvent,
} from '../../core/chat/provider';
import { assertValidProviderConfig, ProviderError } from '../../core/chat/provider-error';
import type { AdapterOptions } from './openai';

export type { AdapterOptions } from './openai';
export type { RetryPolicy } from './stream-guard';

type AdapterFactory = (cfg: ProviderConfig, opts: AdapterOptions) => ProviderAdapter;

const LOADERS: Record<ProviderKind, () => Promise<AdapterFactory>> = {
  [ProviderKind.OpenAI]: () => import('./openai').then((m) => m.createOpenAiAdapter),
  [ProviderKind.Anthropic]: () => import('./anthropic').then((m) => m.createAnthropicAdapter),
  [ProviderKind.Gemini]: () => import('./gemini').then((m) => m.createGeminiAdapter),
  [ProviderKind.Compatible]: () => import('./compatible').then((m) => m.createCompatibleAdapter),
};

/**
 * Builds the adapter for a configured provider. Throws ProviderError('config') before any
 * request when the settings are unusable (missing key, non-https remote URL, …). The
 * SDK starts loading at once; calls made before it is ready wait for it.
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
  let loading: Promise<ProviderAdapter> | undefined;
  const ready = (): Promise<ProviderAdapter> => {
    loading ??= LOADERS[clean.kind]().then(
      (create) => create(clean, opts),
      () => {
        // A chunk that failed to load (e.g. the extension was updated underneath the
        // page): try again next time, and say so in plain words.
        loading = undefined;
        throw new ProviderError('network', { provider: clean.label, causeName: 'ChunkLoad' });
      },
    );
    return loading;
  };
  // Warm up now (the model menu or the first message will need it); errors surface on use.
  ready().catch(() => undefined);
  return {
    kind: clean.kind,
    async *stream(req: ChatRequest): AsyncGenerator<StreamEvent> {
      yield* (await ready()).stream(req);
    },
    listModels: async () => (await ready()).listModels(),
    testConnection: async () => (await ready()).testConnection(),
  };
}
