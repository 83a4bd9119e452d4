/**
 * Google Gemini through `@google/genai` (the maintained successor of the end-of-life
 * `@google/generative-ai`): text parts → text, `thought` parts → reasoning,
 * functionCall parts → tool calls, usageMetadata → usage.
 */
import { GoogleGenAI, type Content, type GenerateContentConfig, type Part } from '@google/genai';
import {
  ProviderKind,
  type ChatRequest,
  type ChatTurn,
  type FinishReason,
  type ProviderAdapter,
  type ProviderConfig,
  type StreamEvent,
  type Usage,
} from '../../core/chat/provider';
import { mapProviderError } from './map-error';
import type { AdapterOptions } from './openai';
import { DEFAULT_RETRY, guardStream } from './stream-guard';

/** Creates the adapter for Google Gemini (Gemini API, not Vertex AI). */
export function createGeminiAdapter(
  cfg: ProviderConfig,
  opts: AdapterOptions = {},
): ProviderAdapter {
  // The genai SDK has no browser guard to turn off: it runs as-is in the extension with
  // the user's own key. It does not retry unless retryOptions is set; guardStream does.
  const ai = new GoogleGenAI({
    apiKey: cfg.apiKey,
    httpOptions: {
      ...(cfg.baseUrl ? { baseUrl: cfg.baseUrl } : {}),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    },
  });
  const provider = cfg.label;
  const retry = opts.retry ?? DEFAULT_RETRY;

  async function* run(req: ChatRequest): AsyncGenerator<StreamEvent> {
    const config: GenerateContentConfig = {
      abortSignal: req.signal,
      // Continuation would silently re-request a dropped stream; Nook shows the cut
      // instead and keeps the partial answer.
      automaticContinuation: false,
      ...(req.system ? { systemInstruction: req.system } : {}),
      ...(req.maxTokens === undefined ? {} : { maxOutputTokens: req.maxTokens }),
      ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
      ...(req.tools?.length
        ? {
            tools: [
              {
                functionDeclarations: req.tools.map((t) => ({
                  name: t.name,
                  description: t.description,
                  parametersJsonSchema: t.parameters,
                })),
              },
            ],
          }
        : {}),
    };
    const stream = await ai.models.generateContentStream({
      model: req.model,
      contents: toContents(req.turns),
      config,
    });
    let finish: string | undefined;
    let usage: Usage | undefined;
    let calls = 0;
    for await (const chunk of stream) {
      const u = chunk.usageMetadata;
      if (u) {
        const cached = u.cachedContentTokenCount ?? 0;
        usage = {
          inputTokens: u.promptTokenCount ?? 0,
          // Thinking tokens are billed as output.
          outputTokens: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0),
          ...(cached ? { cachedInputTokens: cached } : {}),
        };
      }
      if (chunk.promptFeedback?.blockReason && !chunk.candidates?.length) finish = 'SAFETY';
      const cand = chunk.candidates?.[0];
      for (const part of cand?.content?.parts ?? []) {
        if (part.functionCall) {
          calls += 1;
          const fc = part.functionCall;
          yield {
            type: 'tool-call',
            call: {
              id: fc.id ?? `${SYNTHETIC_ID}${calls}`,
              name: fc.name ?? '',
              arguments: fc.args ?? {},
            },
          };
        } else if (part.text) {
          yield part.thought
            ? { type: 'reasoning', delta: part.text }
            : { type: 'text', delta: part.text };
        }
      }
      if (cand?.finishReason) finish = cand.finishReason;
    }
    if (finish === undefined) return; // guardStream reports the missing end as interrupted
    if (usage) yield { type: 'usage', usage };
    yield { type: 'done', finishReason: mapFinish(finish, calls > 0) };
  }

  return {
    kind: ProviderKind.Gemini,
    stream: (req) =>
      guardStream(() => run(req), { family: 'gemini', provider, signal: req.signal, retry }),
    async listModels() {
      try {
        const ids: string[] = [];
        for await (const m of await ai.models.list()) {
          const chat = m.supportedActions?.includes('generateContent') ?? true;
          if (m.name && chat) ids.push(m.name.replace(/^models\//, ''));
        }
        return ids.sort();
      } catch (e) {
        throw mapProviderError('gemini', e, { provider, afterOutput: false });
      }
    },
    async testConnection() {
      await this.listModels();
    },
  };
}

/** Older Gemini models give calls no id; Nook makes one up for its own bookkeeping and
 * never sends it back, since the API only knows ids it issued. */
const SYNTHETIC_ID = 'nook-call-';

function realId(id: string | undefined): { id?: string } {
  return id === undefined || id.startsWith(SYNTHETIC_ID) ? {} : { id };
}

/** Gemini ends a function-calling turn with STOP; Nook calls that 'tool-calls'. */
function mapFinish(r: string, hadCalls: boolean): FinishReason {
  switch (r) {
    case 'STOP':
      return hadCalls ? 'tool-calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
      return 'content-filter';
    default:
      return 'other';
  }
}

/** Gemini roles are user/model; tool results are functionResponse parts in a user turn,
 * matched by name (and id when the model gave one); consecutive results share a turn. */
function toContents(turns: ChatTurn[]): Content[] {
  const out: Content[] = [];
  for (const t of turns) {
    if (t.role === 'user') {
      out.push({ role: 'user', parts: [{ text: t.content }] });
    } else if (t.role === 'assistant') {
      const parts: Part[] = t.content === '' ? [] : [{ text: t.content }];
      for (const c of t.toolCalls ?? []) {
        parts.push({ functionCall: { ...realId(c.id), name: c.name, args: c.arguments } });
      }
      out.push({ role: 'model', parts: parts.length ? parts : [{ text: '' }] });
    } else {
      const part: Part = {
        functionResponse: {
          ...realId(t.toolCallId),
          name: t.toolName ?? '',
          response: { result: t.content },
        },
      };
      const prev = out[out.length - 1];
      if (prev?.role === 'user' && prev.parts?.every((p) => p.functionResponse !== undefined)) {
        prev.parts.push(part);
      } else {
        out.push({ role: 'user', parts: [part] });
      }
    }
  }
  return out;
}
