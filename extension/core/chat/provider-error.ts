/**
 * Typed provider failures and the plain-words messages the chat panel shows for them,
 * plus the config check that runs before any request. Platform-free.
 */
import { ProviderKind, type ProviderConfig } from './provider';

/** Every way a provider call can fail, as the UI needs to tell them apart. */
export const PROVIDER_ERROR_KIND = [
  'auth',
  'rate-limit',
  'server',
  'network',
  'interrupted',
  'context-length',
  'bad-request',
  'not-found',
  'aborted',
  'config',
] as const;
export type ProviderErrorKind = (typeof PROVIDER_ERROR_KIND)[number];

/** Fields of a ProviderError besides its kind. */
export interface ProviderErrorInit {
  /** The provider's label as the user named it, e.g. "Anthropic". */
  provider: string;
  status?: number;
  retryAfterMs?: number;
  /** True when some of the answer had already streamed before the failure. */
  afterOutput?: boolean;
  /** For kind 'config': the check that failed, already in plain words. */
  detail?: string;
  /** The SDK error class name, for debugging. The SDK error itself is not kept: its
   * message can quote the request or response, which may hold user content. */
  causeName?: string;
}

/**
 * A provider failure with a message that is safe to show and to log: it names the
 * provider and the HTTP status, never the key, the prompt or the provider's own text.
 */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly provider: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly afterOutput: boolean;
  readonly detail?: string;
  readonly causeName?: string;

  constructor(kind: ProviderErrorKind, init: ProviderErrorInit) {
    super('');
    this.name = 'ProviderError';
    this.kind = kind;
    this.provider = init.provider;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.afterOutput = init.afterOutput ?? false;
    this.detail = init.detail;
    this.causeName = init.causeName;
    this.message = this.userMessage();
  }

  /** What happened and what to do next, in plain words. */
  userMessage(): string {
    const p = this.provider;
    const code = this.status === undefined ? '' : ` (${this.status})`;
    switch (this.kind) {
      case 'auth':
        return this.status === 403
          ? `${p} refused access (403): check the key's permissions in Options → Providers; for a local server such as Ollama, allow the extension's origin.`
          : `${p} rejected the key${code}: check it in Options → Providers.`;
      case 'rate-limit': {
        const wait =
          this.retryAfterMs === undefined
            ? 'in a moment'
            : `in ${Math.max(1, Math.ceil(this.retryAfterMs / 1000))} s`;
        return `${p} is rate-limiting requests${code}: try again ${wait}.`;
      }
      case 'server':
        return this.afterOutput
          ? `${p} failed mid-answer${code || ' (overloaded)'}: the partial answer is kept; press Retry in a moment.`
          : `${p} had a problem on its side${code}: press Retry in a moment.`;
      case 'network':
        return `Could not reach ${p}: check your connection and the base URL in Options → Providers, then press Retry.`;
      case 'interrupted':
        return 'The connection dropped mid-answer: the partial answer is kept; press Retry.';
      case 'context-length':
        return `The conversation is too long for this ${p} model: start a new chat, remove long pasted text, or pick a model with a larger context.`;
      case 'bad-request':
        return `${p} rejected the request${code}: check the model and its settings, then press Retry.`;
      case 'not-found':
        return `${p} does not know this model${code}: pick another one in the model menu.`;
      case 'aborted':
        return 'Stopped: the partial answer is kept.';
      case 'config':
        return `${p} is not set up correctly: ${this.detail ?? 'check it in Options → Providers.'}`;
    }
  }
}

/** One problem with a provider's settings, for the field it belongs to. */
export interface ProviderConfigIssue {
  field: 'label' | 'apiKey' | 'baseUrl' | 'kind';
  message: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
const KINDS: readonly string[] = Object.values(ProviderKind);

/**
 * Checks a provider's settings before any request is made, so the options form can show
 * the problem beside the field. Returns an empty list when the config is usable. An
 * unknown model is not checked here: the provider's 404 maps to kind 'not-found'.
 */
export function validateProviderConfig(cfg: ProviderConfig): ProviderConfigIssue[] {
  const issues: ProviderConfigIssue[] = [];
  if (!KINDS.includes(cfg.kind)) {
    issues.push({ field: 'kind', message: 'Pick a provider type.' });
  }
  if (cfg.label.trim() === '') {
    issues.push({ field: 'label', message: 'Give this provider a name.' });
  }
  const key = cfg.apiKey?.trim() ?? '';
  if (key === '' && cfg.kind !== ProviderKind.Compatible) {
    issues.push({ field: 'apiKey', message: 'Paste your API key.' });
  } else if (/\s/.test(key)) {
    issues.push({ field: 'apiKey', message: 'The key contains spaces or line breaks.' });
  }
  const base = cfg.baseUrl?.trim() ?? '';
  if (base === '') {
    if (cfg.kind === ProviderKind.Compatible) {
      issues.push({
        field: 'baseUrl',
        message: 'Enter the server address, e.g. http://localhost:11434/v1.',
      });
    }
    return issues;
  }
  const baseIssue = checkBaseUrl(base);
  if (baseIssue !== undefined) issues.push({ field: 'baseUrl', message: baseIssue });
  return issues;
}

function checkBaseUrl(base: string): string | undefined {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return 'Enter a full address starting with https://.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'The address must start with https:// (or http:// for this computer).';
  }
  // Credentials in the URL would end up in logs and the data-flow ledger.
  if (url.username !== '' || url.password !== '') {
    return 'Remove the user name and password from the address; put the key in the API key field.';
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return 'Plain http:// is only allowed for this computer (localhost, 127.0.0.1, ::1); use https://.';
  }
  return undefined;
}

/** Throws a ProviderError of kind 'config' naming the first problem, if any. */
export function assertValidProviderConfig(cfg: ProviderConfig): void {
  const first = validateProviderConfig(cfg)[0];
  if (first !== undefined) {
    throw new ProviderError('config', {
      provider: cfg.label.trim() || 'This provider',
      detail: first.message,
    });
  }
}
