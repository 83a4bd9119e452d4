import { describe, expect, it } from 'vitest';
import { ProviderKind } from '../../core/chat/provider';
import { collect, describeProviderContract, SECRET_KEY, useHarness } from './contract-suite';

const h = useHarness('gemini', { id: 'p-gemini', kind: ProviderKind.Gemini, label: 'Gemini' });
// Gemini answers a bad key with 400 INVALID_ARGUMENT + API_KEY_INVALID, not 401.
describeProviderContract('Gemini', h, 400);

describe('Gemini: wire details', () => {
  it('sends the key in x-goog-api-key, never in the URL', async () => {
    await collect(
      h.adapter.stream({
        model: 'double-small',
        system: 'sys',
        turns: [{ role: 'user', content: 'hi' }],
      }),
    );
    const r = h.double.requests[0];
    expect(r?.headers['x-goog-api-key']).toBe(SECRET_KEY);
    expect(r?.search).not.toContain(SECRET_KEY);
    expect(r?.path).toMatch(/\/models\/double-small:streamGenerateContent$/);
    expect(r?.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      systemInstruction: { parts: [{ text: 'sys' }] },
    });
  });

  it('reads the retry delay of a 429 from RetryInfo in the body', async () => {
    h.double.script({ kind: 'error', status: 429, retryAfterSeconds: 7 });
    const r = await collect(
      h.adapter.stream({ model: 'double-small', turns: [{ role: 'user', content: 'hi' }] }),
    );
    expect(r.error?.kind).toBe('rate-limit');
    expect(r.error?.retryAfterMs).toBe(7000);
  });

  it('streams thought parts as reasoning', async () => {
    h.double.script({ kind: 'text', text: 'Answer.', reasoning: 'Hmm.' });
    const r = await collect(
      h.adapter.stream({ model: 'double-small', turns: [{ role: 'user', content: 'hi' }] }),
    );
    expect(r.reasoning).toBe('Hmm.');
    expect(r.text).toBe('Answer.');
  });

  it('translates a tool round trip to functionCall / functionResponse parts', async () => {
    await collect(
      h.adapter.stream({
        model: 'double-small',
        turns: [
          { role: 'user', content: 'save it' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'nook-call-1', name: 'save_memory', arguments: { text: 'x' } }],
          },
          { role: 'tool', content: 'saved', toolCallId: 'nook-call-1', toolName: 'save_memory' },
        ],
        tools: [{ name: 'save_memory', description: 'Save', parameters: { type: 'object' } }],
      }),
    );
    const body = h.double.requests[0]?.body as { contents: unknown[]; tools: unknown[] };
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'save it' }] },
      { role: 'model', parts: [{ functionCall: { name: 'save_memory', args: { text: 'x' } } }] },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'save_memory', response: { result: 'saved' } } }],
      },
    ]);
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'save_memory', description: 'Save', parametersJsonSchema: { type: 'object' } },
        ],
      },
    ]);
  });
});
