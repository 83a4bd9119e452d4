/**
 * What the chat benches compare Nook against: one streamed answer timed to its first text
 * and its end, and the shortest correct streaming call each official SDK allows.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import type { DoubleApi } from '../e2e/doubles/provider-double';

/** One streamed answer: resolves with [time to first text, total] in ms. */
export type Timed = () => Promise<[number, number]>;

/** Times `consume`, which calls `onText` for every piece of text it receives. */
export async function time(
  consume: (onText: () => void) => Promise<void>,
): Promise<[number, number]> {
  const t0 = performance.now();
  let first = Number.NaN;
  await consume(() => {
    if (Number.isNaN(first)) first = performance.now() - t0;
  });
  return [first, performance.now() - t0];
}

/** The baseline: a bare SDK call against the double's `baseUrl` with `key`. */
export function directSdk(api: DoubleApi, baseUrl: string, key: string): Timed {
  const messages = [{ role: 'user' as const, content: 'hi' }];
  if (api === 'anthropic') {
    const c = new Anthropic({ apiKey: key, baseURL: baseUrl, maxRetries: 0 });
    return () =>
      time(async (onText) => {
        const s = await c.messages.create({
          model: 'double-small',
          max_tokens: 1024,
          messages,
          stream: true,
        });
        for await (const ev of s) if (ev.type === 'content_block_delta') onText();
      });
  }
  if (api === 'gemini') {
    const ai = new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl } });
    return () =>
      time(async (onText) => {
        const s = await ai.models.generateContentStream({ model: 'double-small', contents: 'hi' });
        for await (const chunk of s) if (chunk.text) onText();
      });
  }
  const c = new OpenAI({ apiKey: key, baseURL: baseUrl, maxRetries: 0 });
  return () =>
    time(async (onText) => {
      const s = await c.chat.completions.create({ model: 'double-small', messages, stream: true });
      for await (const chunk of s) if (chunk.choices[0]?.delta.content) onText();
    });
}
