import { describe, expect, it } from 'vitest';
import { ProviderKind } from '../../core/chat/provider';
import { collect, describeProviderContract, SECRET_KEY, useHarness } from './contract-suite';

const h = useHarness('openai', { id: 'p-openai', kind: ProviderKind.OpenAI, label: 'OpenAI' });
describeProviderContract('OpenAI', h);

describe('OpenAI: wire details', () => {
  it('sends the key as a bearer token and asks for usage in the stream', async () => {
    await collect(
      h.adapter.stream({
        model: 'double-small',
        turns: [{ role: 'user', content: 'hi' }],
        maxTokens: 99,
      }),
    );
    const r = h.double.requests[0];
    expect(r?.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(r?.body).toMatchObject({
      model: 'double-small',
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 99,
    });
  });

  it('translates a tool round trip into assistant tool_calls and a tool message', async () => {
    await collect(
      h.adapter.stream({
        model: 'double-small',
        system: 'sys',
        turns: [
          { role: 'user', content: 'run it' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'call_1', name: 'run_code', arguments: { code: '1+1' } }],
          },
          { role: 'tool', content: '2', toolCallId: 'call_1', toolName: 'run_code' },
        ],
        tools: [{ name: 'run_code', description: 'Run code', parameters: { type: 'object' } }],
      }),
    );
    expect(h.double.requests[0]?.body).toMatchObject({
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'run it' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'run_code', arguments: '{"code":"1+1"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '2' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'run_code', description: 'Run code', parameters: { type: 'object' } },
        },
      ],
    });
  });
});
