// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatController } from '../../core/conversations/chat-controller';
import type { Message } from '../../core/models';
import { INTERRUPTED_NOTICE } from '../../core/tools/tool-loop';
import { ToolCalls } from './tool-call-card';

afterEach(cleanup);

const message: Message = {
  id: 'm1',
  conversationId: 'c1',
  role: 'assistant',
  content: '',
  createdAt: 1,
  // As a closed panel left it: stored as running, with no run alive in this page.
  toolCalls: [{ id: 'call1', name: 'echo', arguments: { a: 1 }, state: { status: 'running' } }],
};

describe('tool call card', () => {
  it('shows a call cut off by a closed panel as stopped, with Run again', () => {
    const chat = {
      decideToolCall: vi.fn(async () => undefined),
      stop: vi.fn(),
      getState: () => ({ conversations: [{ ok: true, id: 'c1', value: { id: 'c1' } }] }),
    };
    render(<ToolCalls message={message} chat={chat as unknown as ChatController} />);
    expect(screen.getByTestId('tool-state').textContent).toBe('Stopped');
    expect(screen.getByTestId('tool-call').getAttribute('data-state')).toBe('interrupted');
    expect(screen.getByTestId('tool-interrupted').textContent).toContain(INTERRUPTED_NOTICE);
    expect(screen.queryByTestId('tool-stop')).toBeNull();
    fireEvent.click(screen.getByTestId('tool-run-again'));
    expect(chat.decideToolCall).toHaveBeenCalledWith('m1', 'call1', { kind: 'run' });
  });
});
