// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatState } from '../../core/conversations/chat-state';
import type { Message } from '../../core/models';
import { AnswerAnnouncer } from './answer-announcer';

afterEach(cleanup);

const entry = (m: Partial<Message> & Pick<Message, 'id' | 'role' | 'content'>) => ({
  ok: true as const,
  id: m.id,
  rev: 1,
  updatedAt: 1,
  value: { conversationId: 'c1', createdAt: 1, ...m },
});

function state(over: Partial<ChatState>): ChatState {
  return {
    loading: false,
    conversations: [],
    matches: undefined,
    query: '',
    selectedId: 'c1',
    messages: [],
    notice: undefined,
    error: undefined,
    streamingId: undefined,
    ...over,
  } as ChatState;
}

const said = () => screen.getByTestId('msg-announcer').textContent;

describe('answer announcer', () => {
  it('speaks an answer once it has finished, not while it streams', () => {
    const question = entry({ id: 'u1', role: 'user', content: 'Capital of Norway?' });
    const streaming = state({
      messages: [question, entry({ id: 'a1', role: 'assistant', content: '' })],
      streamingId: 'a1',
    });
    const { rerender } = render(<AnswerAnnouncer state={streaming} />);
    expect(said()).toBe('');
    const done = state({
      messages: [
        question,
        entry({ id: 'a1', role: 'assistant', content: 'Oslo.', status: 'complete' }),
      ],
    });
    rerender(<AnswerAnnouncer state={done} />);
    expect(said()).toBe('Nook: Oslo.');
    expect(screen.getByRole('status')).toBe(screen.getByTestId('msg-announcer'));
  });

  it('says when an answer failed or stopped', () => {
    const { rerender } = render(
      <AnswerAnnouncer
        state={state({
          messages: [entry({ id: 'a1', role: 'assistant', content: '' })],
          streamingId: 'a1',
        })}
      />,
    );
    rerender(
      <AnswerAnnouncer
        state={state({
          messages: [
            entry({
              id: 'a1',
              role: 'assistant',
              content: '',
              status: 'error',
              error: 'The provider refused the key.',
            }),
          ],
        })}
      />,
    );
    expect(said()).toBe("Nook's answer failed: The provider refused the key.");
  });

  it('stays silent when a conversation opens or older messages mount', () => {
    const older = Array.from({ length: 40 }, (_, i) =>
      entry({ id: `m${i}`, role: i % 2 ? 'assistant' : 'user', content: `old ${i}` }),
    );
    const { rerender } = render(
      <AnswerAnnouncer state={state({ selectedId: undefined, messages: [] })} />,
    );
    rerender(<AnswerAnnouncer state={state({ messages: older.slice(20) })} />);
    rerender(<AnswerAnnouncer state={state({ messages: older })} />);
    expect(said()).toBe('');
    // Switching away from a conversation whose answer was spoken clears it.
    rerender(<AnswerAnnouncer state={state({ selectedId: 'c2', messages: [] })} />);
    expect(said()).toBe('');
  });
});
