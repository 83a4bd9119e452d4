// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import { createMemoryRepos } from '../../adapters/db/repos';
import { createChatController } from '../../core/conversations/chat-controller';
import type { Message } from '../../core/models';
import { MESSAGE_WINDOW, MessageList } from './message-list';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = (await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })).vault;
});
afterEach(cleanup);

async function conversationWith(messages: Omit<Message, 'conversationId' | 'createdAt'>[]) {
  const { repos } = createMemoryRepos(() => vault);
  await repos.conversations.put('c1', { id: 'c1', title: 't', createdAt: 1, updatedAt: 1 });
  let at = 10;
  for (const m of messages) {
    await repos.messages.put(m.id, { ...m, conversationId: 'c1', createdAt: (at += 1) });
  }
  const chat = createChatController({
    conversations: repos.conversations,
    messages: repos.messages,
  });
  await chat.load();
  await chat.select('c1');
  return chat;
}

describe('message list', () => {
  it('mounts only the newest window of a long conversation, and more on request', async () => {
    const chat = await conversationWith(
      Array.from({ length: 150 }, (_, i) => ({
        id: `m${String(i).padStart(3, '0')}`,
        role: i % 2 ? ('assistant' as const) : ('user' as const),
        content: `message ${i}`,
        status: 'complete' as const,
      })),
    );
    render(<MessageList chat={chat} state={chat.getState()} />);
    expect(screen.getAllByTestId('msg-item')).toHaveLength(MESSAGE_WINDOW);
    expect(screen.getAllByTestId('msg-item').at(-1)?.textContent).toContain('message 149');
    fireEvent.click(screen.getByTestId('msg-show-earlier'));
    expect(screen.getAllByTestId('msg-item')).toHaveLength(2 * MESSAGE_WINDOW);
  });

  it('shows a failed answer with its reason, its status and Retry; the question stays', async () => {
    const chat = await conversationWith([
      { id: 'a', role: 'user', content: 'question', status: 'complete' },
      {
        id: 'b',
        role: 'assistant',
        content: 'half an ans',
        status: 'interrupted',
        error: 'The connection dropped mid-answer: the partial answer is kept; press Retry.',
      },
    ]);
    render(<MessageList chat={chat} state={chat.getState()} />);
    expect(screen.getByTestId('msg-status').textContent).toBe('Interrupted');
    expect(screen.getByTestId('msg-error').textContent).toMatch(/press Retry/);
    expect(screen.getByTestId('msg-retry')).toBeTruthy();
    expect(screen.queryByTestId('msg-regenerate')).toBeNull();
    expect(screen.getAllByTestId('msg-item')[0]?.textContent).toContain('question');
    expect(screen.getAllByTestId('msg-edit')).toHaveLength(1);
  });

  it('renders stream deltas in the streaming message only', async () => {
    const chat = await conversationWith([
      { id: 'a', role: 'user', content: 'question', status: 'complete' },
    ]);
    const state = chat.getState();
    const streaming = {
      ...state,
      streamingId: 's1',
      messages: [
        ...state.messages,
        {
          ok: true as const,
          id: 's1',
          rev: 0,
          updatedAt: 0,
          value: {
            id: 's1',
            conversationId: 'c1',
            role: 'assistant' as const,
            content: '',
            createdAt: 99,
          },
        },
      ],
    };
    render(<MessageList chat={chat} state={streaming} />);
    expect(screen.getByTestId('msg-streaming').textContent).toMatch(/Waiting/);
    // A burst of deltas is shown together, within one coalescing interval.
    act(() => {
      for (const text of ['Hel', 'Hello', 'Hello wor'])
        chat.stream.set({ messageId: 's1', text, reasoning: '' });
    });
    await waitFor(() =>
      expect(screen.getByTestId('msg-streaming').textContent).toContain('Hello wor'),
    );
    // Nothing else can be edited or regenerated while an answer streams.
    expect((screen.getByTestId('msg-edit') as HTMLButtonElement).disabled).toBe(true);
  });
});
