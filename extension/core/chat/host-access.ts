/**
 * The port for reaching custom provider hosts from extension pages: the runtime host
 * permission and the Origin-header rule local servers such as Ollama need. The browser
 * implementation lives in adapters/create-page-services.ts. Platform-free.
 */
import { ProviderKind, type ProviderConfig } from './provider';

/** Browser access the providers form needs. */
export interface HostAccess {
  /**
   * Asks for `origin/*`. Must be called synchronously inside the click handler (Chrome
   * needs the user gesture), before any `await`.
   */
  request(origin: string): Promise<boolean>;
  /**
   * Removes the `Origin` header from requests to this origin only (declarativeNetRequest
   * dynamic rule), so a local server that refuses extension Origins (Ollama's empty 403
   * until OLLAMA_ORIGINS allows it) answers.
   */
  allowWithoutOrigin(origin: string): Promise<void>;
  /**
   * Deletes the Origin rule of this origin (no-op when there is none). Call it with
   * {@link orphanedOriginRule} once no saved provider uses the origin any more. Optional:
   * platforms without declarativeNetRequest (and form-only test doubles) leave it out.
   */
  removeOriginRule?(origin: string): Promise<void>;
}

/** The hosts in the manifest's host_permissions; everything else is asked at runtime. */
export const OFFICIAL_API_ORIGINS = [
  'https://api.openai.com',
  'https://api.anthropic.com',
  'https://generativelanguage.googleapis.com',
] as const;

const officialOrigins: readonly string[] = OFFICIAL_API_ORIGINS;

/** The origin a provider needs a runtime permission for, if any (malformed → none). */
export function customOrigin(cfg: Pick<ProviderConfig, 'baseUrl'>): string | undefined {
  const base = cfg.baseUrl?.trim();
  if (!base) return undefined;
  try {
    const { origin } = new URL(base);
    return officialOrigins.includes(origin) ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** True when the provider's host gets the Origin-removal rule (OpenAI-compatible servers). */
export function needsOriginRule(cfg: Pick<ProviderConfig, 'kind' | 'baseUrl'>): boolean {
  return cfg.kind === ProviderKind.Compatible && customOrigin(cfg) !== undefined;
}

/**
 * The origin whose Origin rule should go once `gone` (a removed provider, or the old
 * settings of an edited one) is no longer in `remaining`: only when `gone` had a rule
 * and no remaining provider still needs one for that origin.
 */
export function orphanedOriginRule(
  gone: Pick<ProviderConfig, 'kind' | 'baseUrl'>,
  remaining: readonly Pick<ProviderConfig, 'kind' | 'baseUrl'>[],
): string | undefined {
  if (!needsOriginRule(gone)) return undefined;
  const origin = customOrigin(gone);
  const stillUsed = remaining.some((p) => needsOriginRule(p) && customOrigin(p) === origin);
  return stillUsed ? undefined : origin;
}

/** Presets of the OpenAI-compatible form: name and base URL. */
export const COMPATIBLE_PRESETS = [
  { name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
  { name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' },
  { name: 'llama.cpp server', baseUrl: 'http://127.0.0.1:8080/v1' },
  { name: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1' },
  { name: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1' },
] as const;
