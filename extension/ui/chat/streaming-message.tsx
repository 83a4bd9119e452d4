import { useLayoutEffect } from 'react';
import type { ChatController } from '../../core/conversations/chat-controller';
import { useStore } from '../hooks/use-store';
import { MarkdownView } from '../markdown';

/**
 * The answer being streamed. The only component subscribed to `chat.stream`, so each
 * delta re-renders this message alone.
 */
export function StreamingMessage({ chat, onGrow }: { chat: ChatController; onGrow: () => void }) {
  const view = useStore(chat.stream);
  useLayoutEffect(onGrow, [onGrow, view?.text]);
  return (
    <li data-testid="msg-streaming" data-role="assistant" className="message assistant streaming">
      <span className="sr-only">Nook: </span>
      {view?.reasoning && (
        <details className="reasoning">
          <summary>Thinking…</summary>
          <div className="plain">{view.reasoning}</div>
        </details>
      )}
      {view?.text ? (
        <MarkdownView text={view.text} streaming />
      ) : (
        <span className="muted">Waiting for the answer…</span>
      )}
    </li>
  );
}
