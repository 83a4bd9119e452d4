import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderDouble, type ProviderDouble } from '../../../e2e/doubles/provider-double';
import { ProviderKind, type ProviderConfig } from '../../core/chat/provider';
import { collect, describeProviderContract, useHarness } from './contract-suite';
import { createProviderAdapter } from './index';

const h = useHarness('ollama', { id: 'p-compat', kind: ProviderKind.Compatible, label: 'Ollama' });
describeProviderContract('OpenAI-compatible', h);

describe('OpenAI-compatible: local servers (Ollama)', () => {
  let ollama: ProviderDouble;
  let cfg: ProviderConfig;
  beforeAll(async () => {
    ollama = await createProviderDouble(); // no key required, like a stock Ollama
    cfg = {
      id: 'p-ollama',
      kind: ProviderKind.Compatible,
      label: 'Ollama',
      baseUrl: ollama.baseUrl('ollama'),
    };
  });
  afterAll(() => ollama.close());
  const hi = { model: 'llama3.2', turns: [{ role: 'user' as const, content: 'hi' }] };

  it('works without a key and sends no Authorization header at all', async () => {
    ollama.requests.length = 0;
    const r = await collect(createProviderAdapter(cfg).stream({ ...hi, maxTokens: 50 }));
    expect(r.error).toBeUndefined();
    expect(r.text).toBe('Echo: hi');
    expect(ollama.requests[0]?.headers.authorization).toBeUndefined();
    // Compatible servers understand max_tokens, not max_completion_tokens.
    expect(ollama.requests[0]?.body).toMatchObject({ max_tokens: 50 });
  });

  it("streams Ollama's non-standard delta.reasoning as reasoning", async () => {
    ollama.script({ kind: 'text', text: 'The answer is 4.', reasoning: '2 plus 2 makes 4.' });
    const r = await collect(createProviderAdapter(cfg).stream(hi));
    expect(r.reasoning).toBe('2 plus 2 makes 4.');
    expect(r.text).toBe('The answer is 4.');
  });

  it('maps the empty 403 Ollama gives an extension Origin to auth with an origin hint', async () => {
    const withOrigin: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('origin', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop');
      return fetch(input, { ...init, headers });
    };
    const r = await collect(createProviderAdapter(cfg, { fetch: withOrigin }).stream(hi));
    expect(r.error?.kind).toBe('auth');
    expect(r.error?.status).toBe(403);
    expect(r.error?.userMessage()).toContain("allow the extension's origin");
    await expect(
      createProviderAdapter(cfg, { fetch: withOrigin }).listModels(),
    ).rejects.toMatchObject({
      kind: 'auth',
      status: 403,
    });
  });

  it('lets extension Origins through when the server allows them (OLLAMA_ORIGINS)', async () => {
    const open = await createProviderDouble({ allowExtensionOrigins: true });
    try {
      const withOrigin: typeof fetch = (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('origin', 'moz-extension://0d2c7d5e-0000-4000-8000-000000000000');
        return fetch(input, { ...init, headers });
      };
      const adapter = createProviderAdapter(
        { ...cfg, baseUrl: open.baseUrl('ollama') },
        { fetch: withOrigin },
      );
      expect((await collect(adapter.stream(hi))).text).toBe('Echo: hi');
    } finally {
      await open.close();
    }
  });

  it('refuses a bad config before sending anything', () => {
    ollama.requests.length = 0;
    const remoteHttp = ollama.baseUrl('ollama').replace('127.0.0.1', 'ollama.example');
    expect(() => createProviderAdapter({ ...cfg, baseUrl: remoteHttp })).toThrowError(
      expect.objectContaining({ name: 'ProviderError', kind: 'config' }),
    );
    expect(() => createProviderAdapter({ ...cfg, kind: ProviderKind.OpenAI })).toThrowError(
      /Paste your API key/,
    );
    expect(ollama.requests).toHaveLength(0);
  });

  it('reports an unreachable server as network, not as a hang', async () => {
    const gone = await createProviderDouble();
    const url = gone.baseUrl('ollama');
    await gone.close();
    const adapter = createProviderAdapter(
      { ...cfg, baseUrl: url },
      { retry: { retries: 0, maxRetryWaitMs: 0 } },
    );
    const r = await collect(adapter.stream(hi));
    expect(r.error?.kind).toBe('network');
    expect(r.error?.userMessage()).toContain('Could not reach Ollama');
  });
});
