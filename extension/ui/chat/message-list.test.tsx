// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import { createMemoryRepos } from '../../adapters/db/repos';
import { createChatController } from '../../core/conversations/chat-controller';
import type { Message } from '../../core/models';
import { EARLIER_PAGE, INITIAL_WINDOW, MessageList } from './message-list';

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

const numbered = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `m${String(i).padStart(3, '0')}`,
    role: i % 2 ? ('assistant' as const) : ('user' as const),
    content: `message ${i}`,
    status: 'complete' as const,
  }));

/** Replaces IntersectionObserver; `reach()` reports every observed element as in reach. */
function fakeIntersectionObservers() {
  const live = new Set<{ cb: IntersectionObserverCallback; targets: Element[] }>();
  const original = globalThis.IntersectionObserver;
  class Fake {
    private entry = {
      cb: (() => undefined) as IntersectionObserverCallback,
      targets: [] as Element[],
    };
    constructor(cb: IntersectionObserverCallback) {
      this.entry.cb = cb;
      live.add(this.entry);
    }
    observe(el: Element) {
      this.entry.targets.push(el);
    }
    disconnect() {
      live.delete(this.entry);
    }
  }
  globalThis.IntersectionObserver = Fake as unknown as typeof IntersectionObserver;
  return {
    reach() {
      for (const { cb, targets } of [...live])
        cb(
          targets.map((target) => ({ target, isIntersecting: true }) as IntersectionObserverEntry),
          {} as IntersectionObserver,
        );
    },
    restore() {
      globalThis.IntersectionObserver = original;
    },
  };
}

describe('message list', () => {
  it('mounts only the newest messages on opening, scrolled to the newest one', async () => {
    const chat = await conversationWith(numbered(150));
    const scrollHeight = vi
      .spyOn(HTMLElement.prototype, 'scrollHeight', 'get')
      .mockReturnValue(5000);
    try {
      render(<MessageList chat={chat} state={chat.getState()} />);
      const items = screen.getAllByTestId('msg-item');
      expect(items).toHaveLength(INITIAL_WINDOW);
      expect(items.at(-1)?.textContent).toContain('message 149');
      expect(items[0]?.textContent).toContain(`message ${150 - INITIAL_WINDOW}`);
      expect(screen.getByTestId('msg-list').scrollTop).toBe(5000);
    } finally {
      scrollHeight.mockRestore();
    }
  });

  it('mounts older messages when the top of the list comes near, then on "Show earlier"', async () => {
    const observers = fakeIntersectionObservers();
    onTestFinished(observers.restore);
    const chat = await conversationWith(numbered(150));
    render(<MessageList chat={chat} state={chat.getState()} />);
    // Scrolling up brings the row above the oldest mounted message into reach.
    act(() => observers.reach());
    expect(screen.getAllByTestId('msg-item')).toHaveLength(INITIAL_WINDOW + EARLIER_PAGE);
    expect(screen.getAllByTestId('msg-item').at(-1)?.textContent).toContain('message 149');
    // The same for keyboard users, without scrolling.
    fireEvent.click(screen.getByTestId('msg-show-earlier'));
    await waitFor(() =>
      expect(screen.getAllByTestId('msg-item')).toHaveLength(INITIAL_WINDOW + 2 * EARLIER_PAGE),
    );
    act(() => observers.reach());
    expect(screen.getAllByTestId('msg-item')).toHaveLength(INITIAL_WINDOW + 3 * EARLIER_PAGE);
    act(() => observers.reach());
    expect(screen.getAllByTestId('msg-item')).toHaveLength(150);
    expect(screen.getAllByTestId('msg-item')[0]?.textContent).toContain('message 0');
    expect(screen.queryByTestId('msg-show-earlier')).toBeNull();
  });

  it('keeps the older messages mounted when a new one arrives, and resets per conversation', async () => {
    const chat = await conversationWith(numbered(100));
    const { rerender } = render(<MessageList chat={chat} state={chat.getState()} />);
    fireEvent.click(screen.getByTestId('msg-show-earlier'));
    await waitFor(() =>
      expect(screen.getAllByTestId('msg-item')).toHaveLength(INITIAL_WINDOW + EARLIER_PAGE),
    );
    await chat.send('one more');
    rerender(<MessageList chat={chat} state={chat.getState()} />);
    expect(screen.getAllByTestId('msg-item')).toHaveLength(INITIAL_WINDOW + EARLIER_PAGE + 1);
    await chat.select(undefined);
    rerender(<MessageList chat={chat} state={chat.getState()} />);
    await chat.select('c1');
    rerender(<MessageList chat={chat} state={chat.getState()} />);
    expect(screen.getAllByTestId('msg-item')).toHaveLength(INITIAL_WINDOW);
  });

  it('opening a conversation renders once when the re-read finds the same records', async () => {
    const chat = await conversationWith(numbered(30));
    const shown = chat.getState().messages;
    const seen: unknown[] = [];
    const off = chat.subscribe((s) => seen.push(s.messages));
    await chat.select('c1');
    off();
    // Cleared, then the decrypted list at once; the re-read changes nothing.
    expect(seen).toEqual([[], shown]);
    expect(chat.getState().messages).toBe(shown);
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
