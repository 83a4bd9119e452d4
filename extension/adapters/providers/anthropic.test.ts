import { describe, expect, it } from 'vitest';
import { ProviderKind } from '../../core/chat/provider';
import { collect, describeProviderContract, SECRET_KEY, useHarness } from './contract-suite';

const h = useHarness('anthropic', {
  id: 'p-anthropic',
  kind: ProviderKind.Anthropic,
  label: 'Anthropic',
});
describeProviderContract('Anthropic', h);

describe('Anthropic: wire details', () => {
  it('sends the key (bearer in SDK 1.x) with the browser-access header and a default max_tokens', async () => {
    await collect(
      h.adapter.stream({
        model: 'double-small',
        system: 'sys',
        turns: [{ role: 'user', content: 'hi' }],
      }),
    );
    const r = h.double.requests[0];
    expect(r?.headers['x-api-key'] ?? r?.headers.authorization).toMatch(
      new RegExp(`^(Bearer )?${SECRET_KEY}$`),
    );
    expect(r?.headers['anthropic-dangerous-direct-browser-access']).toBe('true');
    expect(r?.body).toMatchObject({
      model: 'double-small',
      system: 'sys',
      stream: true,
      max_tokens: 4096,
    });
  });

  it('streams thinking as reasoning, separate from the answer text', async () => {
    h.double.script({ kind: 'text', text: 'Answer.', reasoning: 'Let me think.' });
    const r = await collect(
      h.adapter.stream({ model: 'double-small', turns: [{ role: 'user', content: 'hi' }] }),
    );
    expect(r.reasoning).toBe('Let me think.');
    expect(r.text).toBe('Answer.');
  });

  it('raises the mid-stream overloaded_error event as server, keeping the partial answer', async () => {
    h.double.script({ kind: 'mid-stream-error', text: 'half an ans' });
    const r = await collect(
      h.adapter.stream({ model: 'double-small', turns: [{ role: 'user', content: 'hi' }] }),
    );
    expect(r.text).toBe('half an ans');
    expect(r.error?.kind).toBe('server');
    expect(r.error?.status).toBeUndefined();
    expect(r.error?.userMessage()).toBe(
      'Anthropic failed mid-answer (overloaded): the partial answer is kept; press Retry in a moment.',
    );
  });

  it('translates tool calls to tool_use blocks and merges tool results into one user turn', async () => {
    await collect(
      h.adapter.stream({
        model: 'double-small',
        turns: [
          { role: 'user', content: 'two things' },
          {
            role: 'assistant',
            content: 'On it.',
            toolCalls: [
              { id: 'toolu_1', name: 'a', arguments: { x: 1 } },
              { id: 'toolu_2', name: 'b', arguments: {} },
            ],
          },
          { role: 'tool', content: 'A', toolCallId: 'toolu_1', toolName: 'a' },
          { role: 'tool', content: 'B', toolCallId: 'toolu_2', toolName: 'b' },
        ],
        tools: [
          {
            name: 'a',
            description: 'A tool',
            parameters: { type: 'object', properties: { x: { type: 'number' } } },
          },
        ],
      }),
    );
    expect(h.double.requests[0]?.body).toMatchObject({
      messages: [
        { role: 'user', content: 'two things' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'On it.' },
            { type: 'tool_use', id: 'toolu_1', name: 'a', input: { x: 1 } },
            { type: 'tool_use', id: 'toolu_2', name: 'b', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'A' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'B' },
          ],
        },
      ],
      tools: [
        {
          name: 'a',
          description: 'A tool',
          input_schema: { type: 'object', properties: { x: { type: 'number' } } },
        },
      ],
    });
  });
});
