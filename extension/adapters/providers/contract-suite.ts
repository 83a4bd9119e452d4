/**
 * Test-only: the behaviour every provider adapter must show against the provider double
 * (e2e/doubles), run by each `<provider>.test.ts`. Never imported by extension code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createProviderDouble,
  type DoubleApi,
  type ProviderDouble,
} from '../../../e2e/doubles/provider-double';
import type { ProviderAdapter, ProviderConfig, StreamEvent } from '../../core/chat/provider';
import { ProviderError } from '../../core/chat/provider-error';
import { createProviderAdapter } from './index';

/** The key every suite uses; tests assert it never leaks into an error. */
export const SECRET_KEY = 'sk-nook-CANARY-7f3a9b2c41d5e6f8';

/** What one stream produced. */
export interface Collected {
  events: StreamEvent[];
  text: string;
  reasoning: string;
  error?: ProviderError;
}

/** Drains a stream, keeping the events and the ProviderError it ended with, if any. */
export async function collect(
  stream: AsyncIterable<StreamEvent>,
  onEvent?: (ev: StreamEvent) => void,
): Promise<Collected> {
  const out: Collected = { events: [], text: '', reasoning: '' };
  try {
    for await (const ev of stream) {
      out.events.push(ev);
      if (ev.type === 'text') out.text += ev.delta;
      if (ev.type === 'reasoning') out.reasoning += ev.delta;
      onEvent?.(ev);
    }
  } catch (e) {
    if (!(e instanceof ProviderError)) throw e;
    out.error = e;
  }
  return out;
}

/** A started double plus an adapter pointed at it. */
export interface Harness {
  double: ProviderDouble;
  config: ProviderConfig;
  adapter: ProviderAdapter;
  /** Every ProviderError seen by the suite, checked for the key at the end. */
  errors: ProviderError[];
}

/** Starts one double for the file and a fresh adapter per test. */
export function useHarness(
  api: DoubleApi,
  cfg: Omit<ProviderConfig, 'baseUrl' | 'apiKey'>,
): Harness {
  const h = { errors: [] } as unknown as Harness; // filled in by the hooks below
  beforeAll(async () => {
    h.double = await createProviderDouble({ apiKey: SECRET_KEY });
  });
  afterAll(async () => {
    await h.double.close();
  });
  beforeEach(() => {
    h.double.requests.length = 0;
    h.config = { ...cfg, apiKey: SECRET_KEY, baseUrl: h.double.baseUrl(api) };
    h.adapter = createProviderAdapter(h.config);
  });
  return h;
}

const req = (text = 'Hello double') => ({
  model: 'double-small',
  turns: [{ role: 'user' as const, content: text }],
});

/** The shared behaviour tests. */
export function describeProviderContract(name: string, h: Harness, expectedAuthStatus = 401): void {
  const fail = async (stream: AsyncIterable<StreamEvent>): Promise<ProviderError> => {
    const r = await collect(stream);
    expect(r.error).toBeInstanceOf(ProviderError);
    h.errors.push(r.error as ProviderError);
    return r.error as ProviderError;
  };

  describe(`${name}: provider contract`, () => {
    it('streams deltas that concatenate to the scripted text, then done', async () => {
      const text = 'The quick brown fox — 🦊 — jumps over the lazy dog.';
      h.double.script({ kind: 'text', text, chunkSize: 3 });
      const r = await collect(h.adapter.stream(req()));
      expect(r.error).toBeUndefined();
      expect(r.text).toBe(text);
      expect(r.events.filter((e) => e.type === 'text').length).toBeGreaterThan(5);
      expect(r.events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
    });

    it('sends the user text and answers with the default echo', async () => {
      const r = await collect(h.adapter.stream({ ...req('ping 42'), system: 'Be brief.' }));
      expect(r.text).toBe('Echo: ping 42');
      expect(JSON.stringify(h.double.requests[0]?.body)).toContain('Be brief.');
    });

    it('records usage, including cached input tokens', async () => {
      h.double.script({
        kind: 'text',
        text: 'ok',
        usage: { inputTokens: 42, outputTokens: 7, cachedInputTokens: 5 },
      });
      const r = await collect(h.adapter.stream(req()));
      const usage = r.events.filter((e) => e.type === 'usage');
      expect(usage.at(-1)).toEqual({
        type: 'usage',
        usage: { inputTokens: 42, outputTokens: 7, cachedInputTokens: 5 },
      });
    });

    it('parses a tool call with its arguments and finishes with tool-calls', async () => {
      const args = { code: 'print("hi")', language: 'python', nested: { n: 3, list: [1, 2] } };
      h.double.script({
        kind: 'tool-call',
        name: 'run_code',
        arguments: args,
        text: 'Let me run it.',
      });
      const r = await collect(
        h.adapter.stream({
          ...req(),
          tools: [
            {
              name: 'run_code',
              description: 'Run code',
              parameters: { type: 'object', properties: { code: { type: 'string' } } },
            },
          ],
        }),
      );
      expect(r.error).toBeUndefined();
      expect(r.text).toBe('Let me run it.');
      const calls = r.events.flatMap((e) => (e.type === 'tool-call' ? [e.call] : []));
      expect(calls).toHaveLength(1);
      expect(calls[0]?.name).toBe('run_code');
      expect(calls[0]?.arguments).toEqual(args);
      expect(calls[0]?.id).not.toBe('');
      expect(r.events.at(-1)).toEqual({ type: 'done', finishReason: 'tool-calls' });
      expect(JSON.stringify(h.double.requests[0]?.body)).toContain('run_code');
    });

    it(`maps a rejected key to auth (${expectedAuthStatus})`, async () => {
      h.double.script({ kind: 'error', status: 401 });
      const e = await fail(h.adapter.stream(req()));
      expect(e.kind).toBe('auth');
      expect(e.status).toBe(expectedAuthStatus);
      expect(e.userMessage()).toContain('Options → Providers');
    });

    it('maps 429 to rate-limit with the retry delay, without waiting it out silently', async () => {
      h.double.script({ kind: 'error', status: 429, retryAfterSeconds: 20 });
      const e = await fail(h.adapter.stream(req()));
      expect(e.kind).toBe('rate-limit');
      expect(e.retryAfterMs).toBe(20_000);
      expect(e.userMessage()).toContain('try again in 20 s');
      expect(h.double.requests).toHaveLength(1);
    });

    it('retries a 500 once silently before anything was shown', async () => {
      h.double.script({ kind: 'error', status: 500 });
      const r = await collect(h.adapter.stream(req('after a blip')));
      expect(r.error).toBeUndefined();
      expect(r.text).toBe('Echo: after a blip');
      expect(h.double.requests).toHaveLength(2);
    });

    it('maps a persistent 500 to server', async () => {
      h.double.script([
        { kind: 'error', status: 500 },
        { kind: 'error', status: 500 },
      ]);
      const e = await fail(h.adapter.stream(req()));
      expect(e.kind).toBe('server');
      expect(e.status).toBe(500);
    });

    it('maps an unknown model (404) to not-found', async () => {
      h.double.script({ kind: 'error', status: 404 });
      expect((await fail(h.adapter.stream(req()))).kind).toBe('not-found');
    });

    it('maps a too-long conversation to context-length', async () => {
      h.double.script({ kind: 'error', status: 400, reason: 'context-length' });
      expect((await fail(h.adapter.stream(req()))).kind).toBe('context-length');
    });

    it('maps a connection cut mid-stream to interrupted and keeps the partial text', async () => {
      h.double.script({ kind: 'disconnect', afterChunks: 4, text: 'abcdefghijklmnopqrstuvwxyz' });
      const r = await collect(h.adapter.stream(req()));
      expect(r.error?.kind).toBe('interrupted');
      expect(r.error?.afterOutput).toBe(true);
      expect(r.text.length).toBeGreaterThan(0);
      expect('abcdefghijklmnopqrstuvwxyz'.startsWith(r.text)).toBe(true);
      h.errors.push(r.error as ProviderError);
    });

    it('maps an error reported inside the stream to server, after output', async () => {
      h.double.script({ kind: 'mid-stream-error', text: 'partial' });
      const r = await collect(h.adapter.stream(req()));
      expect(r.text).toBe('partial');
      expect(r.error?.kind).toBe('server');
      expect(r.error?.afterOutput).toBe(true);
      expect(r.error?.userMessage()).toContain('partial answer is kept');
      h.errors.push(r.error as ProviderError);
    });

    it('treats a stream that ends without a finish reason as interrupted', async () => {
      h.double.script({ kind: 'no-done', text: 'cut short' });
      const r = await collect(h.adapter.stream(req()));
      expect(r.text).toBe('cut short');
      expect(r.error?.kind).toBe('interrupted');
      expect(r.events.some((e) => e.type === 'done')).toBe(false);
      h.errors.push(r.error as ProviderError);
    });

    it('stops promptly on abort mid-stream with kind aborted', async () => {
      const text = 'x'.repeat(400);
      h.double.script({ kind: 'text', text, chunkSize: 1, delayMs: 5 });
      const ac = new AbortController();
      const r = await collect(h.adapter.stream({ ...req(), signal: ac.signal }), (ev) => {
        if (ev.type === 'text') ac.abort();
      });
      expect(r.error?.kind).toBe('aborted');
      // At most a few buffered deltas arrive after Stop; never the rest of the answer.
      expect(r.text.length).toBeLessThan(10);
      expect(r.events.some((e) => e.type === 'done')).toBe(false);
    });

    it('does not send anything when already aborted', async () => {
      const ac = new AbortController();
      ac.abort();
      const e = await fail(h.adapter.stream({ ...req(), signal: ac.signal }));
      expect(e.kind).toBe('aborted');
      expect(h.double.requests).toHaveLength(0);
    });

    it('lists models, sorted', async () => {
      expect(await h.adapter.listModels()).toEqual(['double-large', 'double-small']);
    });

    it('testConnection resolves with a good key and throws auth with a bad one', async () => {
      await expect(h.adapter.testConnection()).resolves.toBeUndefined();
      const bad = createProviderAdapter({ ...h.config, apiKey: 'sk-wrong-key' });
      const e = await bad.testConnection().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(ProviderError);
      expect((e as ProviderError).kind).toBe('auth');
      h.errors.push(e as ProviderError);
    });

    it('attack: neither the key nor the prompt leaks into errors, even when the provider echoes them', async () => {
      const prompt = 'CANARY-PROMPT-5d1e my bank PIN is 4321';
      const echoed = `Incorrect API key provided: ${SECRET_KEY}. Your message was: ${prompt}`;
      h.double.script([
        {
          kind: 'error',
          status: 401,
          body: {
            type: 'error',
            error: { type: 'authentication_error', message: echoed, code: 'invalid_api_key' },
          },
        },
        {
          kind: 'error',
          status: 400,
          body: { error: { message: echoed, code: 400, status: 'INVALID_ARGUMENT' } },
        },
      ]);
      for (let i = 0; i < 2; i++) h.errors.push(await fail(h.adapter.stream(req(prompt))));
      expect(h.errors.length).toBeGreaterThan(8);
      for (const e of h.errors) {
        for (const text of [
          e.message,
          e.userMessage(),
          JSON.stringify(e),
          String(e.stack),
          e.detail ?? '',
        ]) {
          expect(text).not.toContain(SECRET_KEY.slice(3));
          expect(text).not.toContain('CANARY-PROMPT');
        }
        expect(Object.values(e).map(String).join(' ')).not.toContain(SECRET_KEY.slice(3));
      }
    });
  });
}
