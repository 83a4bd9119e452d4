import { useEffect, useLayoutEffect, useState } from 'react';
import type { ChatController } from '../../core/conversations/chat-controller';
import type { StreamView } from '../../core/conversations/stream-store';
import { MarkdownView } from '../markdown';

/**
 * Deltas can arrive thousands of times a second; the streaming message re-renders at
 * most once per this many ms (MarkdownView then re-parses at most every 50 ms).
 */
export const DELTA_COALESCE_MS = 16;

/** The answer in flight, read from `chat.stream` at most once per DELTA_COALESCE_MS. */
function useCoalescedStream(stream: ChatController['stream']): StreamView | undefined {
  const [view, setView] = useState(stream.getState);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      setView(stream.getState());
    };
    const off = stream.subscribe(() => {
      timer ??= setTimeout(flush, DELTA_COALESCE_MS);
    });
    // Whatever arrived between the first render and subscribing.
    flush();
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [stream]);
  return view;
}

/**
 * The answer being streamed. The only component subscribed to `chat.stream`, so each
 * delta re-renders this message alone.
 */
export function StreamingMessage({ chat, onGrow }: { chat: ChatController; onGrow: () => void }) {
  const view = useCoalescedStream(chat.stream);
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
