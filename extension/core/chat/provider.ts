/**
 * The provider contract the chat engine talks to. Platform-free on purpose: no SDK,
 * browser or storage import lives here, so the chat engine can be tested against a
 * fake adapter and the SDK adapters (extension/adapters/providers) stay swappable.
 */

/** Which wire protocol a configured provider speaks. */
export const ProviderKind = {
  OpenAI: 'openai',
  Anthropic: 'anthropic',
  Gemini: 'gemini',
  Compatible: 'openai-compatible',
} as const;
export type ProviderKind = (typeof ProviderKind)[keyof typeof ProviderKind];

/** One provider the user configured in Options → Providers. */
export interface ProviderConfig {
  id: string;
  kind: ProviderKind;
  /** Shown to the user, e.g. "OpenAI" or "Ollama on this PC"; used in error messages. */
  label: string;
  /** The user's own key. Optional only for OpenAI-compatible endpoints (Ollama, LM Studio…). */
  apiKey?: string;
  /** Override of the provider's API root; required for OpenAI-compatible endpoints. */
  baseUrl?: string;
  defaultModel?: string;
}

/** One turn of the conversation as sent to the model (the system prompt is separate). */
export interface ChatTurn {
  role: 'user' | 'assistant' | 'tool';
  content: string;
  /** Tool calls the assistant made in this turn. */
  toolCalls?: ToolCall[];
  /** For `role: 'tool'`: the id of the call this result answers. */
  toolCallId?: string;
  /** For `role: 'tool'`: the tool's name (Gemini matches results by name). */
  toolName?: string;
}

/** A tool the model may call. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/** A complete tool call parsed from the stream. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** One request for a streamed answer. */
export interface ChatRequest {
  model: string;
  system?: string;
  turns: ChatTurn[];
  tools?: ToolSpec[];
  maxTokens?: number;
  temperature?: number;
  /** Stop button: aborting ends the stream with a ProviderError of kind 'aborted'. */
  signal?: AbortSignal;
}

/** Token counts as reported by the provider. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
}

/** Why a stream finished normally. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

/**
 * What a stream yields. A stream that completes normally always ends with exactly one
 * `done`; every other ending throws a ProviderError (see provider-error.ts).
 */
export type StreamEvent =
  | { type: 'text'; delta: string }
  | { type: 'reasoning'; delta: string }
  | { type: 'tool-call'; call: ToolCall }
  | { type: 'usage'; usage: Usage }
  | { type: 'done'; finishReason: FinishReason };

/** A configured provider, ready to stream. */
export interface ProviderAdapter {
  readonly kind: ProviderKind;
  /** Streams one answer. Throws ProviderError (never an SDK error) on failure. */
  stream(req: ChatRequest): AsyncIterable<StreamEvent>;
  /** Model ids the key can use, sorted. */
  listModels(): Promise<string[]>;
  /** Resolves when the endpoint accepts the key; throws ProviderError otherwise. */
  testConnection(): Promise<void>;
}
