import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderDouble, type ProviderDouble } from './provider-double';

/** Raw wire checks of the double itself; the SDK-level checks live in extension/adapters/providers. */
describe('provider double: wire', () => {
  let d: ProviderDouble;
  beforeAll(async () => {
    d = await createProviderDouble();
  });
  afterAll(() => d.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${d.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const chat = { model: 'm', messages: [{ role: 'user', content: 'hey' }], stream: true };

  it('listens on loopback only', () => {
    expect(d.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('OpenAI: data frames, a usage chunk only when asked, then [DONE]', async () => {
    const plain = await (await post('/v1/chat/completions', chat)).text();
    expect(plain.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(plain).not.toContain('"prompt_tokens"');
    const withUsage = await (
      await post('/v1/chat/completions', { ...chat, stream_options: { include_usage: true } })
    ).text();
    expect(withUsage).toContain('"choices":[],"usage":{"prompt_tokens"');
    expect(withUsage).toContain('"finish_reason":"stop"');
  });

  it('Anthropic: named events in the documented order, with a ping', async () => {
    const res = await post('/v1/messages', { ...chat, max_tokens: 10 });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = [...(await res.text()).matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(events[0]).toBe('message_start');
    expect(events[1]).toBe('ping');
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
  });

  it('Gemini: CRLF-separated data frames, the last with finishReason', async () => {
    const text = await (
      await post('/v1beta/models/m:streamGenerateContent?alt=sse', { contents: [] })
    ).text();
    expect(text).toContain('\r\n\r\n');
    expect(text.trimEnd().split('\r\n\r\n').at(-1)).toContain('"finishReason":"STOP"');
  });

  it('Ollama: an empty 403 for extension origins, served normally otherwise', async () => {
    const refused = await post('/ollama/v1/chat/completions', chat, {
      origin: 'chrome-extension://abc',
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('');
    const ok = await post('/ollama/v1/chat/completions', chat, { origin: 'http://localhost' });
    expect(ok.status).toBe(200);
  });

  it('plays scripted scenarios in order, then falls back to the echo', async () => {
    d.script([
      { kind: 'error', status: 429, retryAfterSeconds: 3 },
      { kind: 'text', text: 'scripted' },
    ]);
    const first = await post('/v1/chat/completions', chat);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(await (await post('/v1/chat/completions', chat)).text()).toContain('scri');
    expect(await (await post('/v1/chat/completions', chat)).text()).toContain('Echo');
  });

  it('records method, path, query, headers and the parsed body', async () => {
    d.requests.length = 0;
    await post(
      '/v1beta/models/m:streamGenerateContent?alt=sse',
      { contents: [] },
      { 'x-goog-api-key': 'k' },
    );
    expect(d.requests[0]).toMatchObject({
      api: 'gemini',
      method: 'POST',
      path: '/v1beta/models/m:streamGenerateContent',
      search: '?alt=sse',
      body: { contents: [] },
    });
    expect(d.requests[0]?.headers['x-goog-api-key']).toBe('k');
  });

  it('answers unknown routes with 404', async () => {
    expect((await fetch(`${d.url}/v2/nothing`)).status).toBe(404);
  });
});
