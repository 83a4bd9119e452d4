import { useLayoutEffect, useRef, useState } from 'react';
import type { ChatController, ChatState } from '../../core/conversations/chat-controller';
import { RECORD_ERROR_MESSAGE } from '../../core/records/record-repo-port';
import { MessageItem } from './message-item';
import { StreamingMessage } from './streaming-message';

/** How many messages a long conversation shows at first, and adds per "Show earlier". */
export const MESSAGE_WINDOW = 60;
/** Within this many pixels of the bottom, new text keeps the list scrolled down. */
const STICKY_PX = 80;

/**
 * The messages of the open conversation. Long conversations are windowed: only the
 * newest MESSAGE_WINDOW are mounted until the user asks for earlier ones, and each item
 * uses `content-visibility: auto`, so off-screen messages cost no layout or paint.
 */
export function MessageList({ chat, state }: { chat: ChatController; state: ChatState }) {
  const [shown, setShown] = useState(MESSAGE_WINDOW);
  const [forId, setForId] = useState(state.selectedId);
  if (forId !== state.selectedId) {
    setForId(state.selectedId);
    setShown(MESSAGE_WINDOW);
  }
  const box = useRef<HTMLOListElement>(null);
  const stick = useRef(true);

  const onScroll = () => {
    const el = box.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX;
  };
  // Stable, so the memoised items and the streaming message do not re-render for it.
  const [keepDown] = useState(() => () => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  });
  useLayoutEffect(keepDown, [keepDown, state.messages]);
  // Items render at their real height only once on screen (content-visibility: auto) and
  // Markdown arrives lazily, so the content keeps growing after the first scroll: while the
  // user is at the bottom, follow it there.
  const count = state.messages.length;
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const follow = new ResizeObserver(keepDown);
    for (const child of Array.from(el.children)) follow.observe(child);
    return () => follow.disconnect();
  }, [keepDown, count, shown, state.selectedId]);

  const hidden = Math.max(0, state.messages.length - shown);
  const visible = state.messages.slice(hidden);
  const lastId = state.messages.at(-1)?.id;
  const busy = state.streamingId !== undefined;
  return (
    <ol
      ref={box}
      data-testid="msg-list"
      className="messages"
      aria-live="polite"
      onScroll={onScroll}
    >
      {hidden > 0 && (
        <li className="center">
          <button
            data-testid="msg-show-earlier"
            type="button"
            className="link"
            onClick={() => setShown((n) => n + MESSAGE_WINDOW)}
          >
            Show {Math.min(hidden, MESSAGE_WINDOW)} earlier messages
          </button>
        </li>
      )}
      {visible.map((m) => {
        if (!m.ok) {
          return (
            <li key={m.id} data-testid="record-error" className="message record-error" role="note">
              {RECORD_ERROR_MESSAGE[m.error.code]}
            </li>
          );
        }
        if (m.id === state.streamingId)
          return <StreamingMessage key={m.id} chat={chat} onGrow={keepDown} />;
        return (
          <MessageItem
            key={m.id}
            message={m.value}
            isLast={m.id === lastId}
            busy={busy}
            chat={chat}
          />
        );
      })}
    </ol>
  );
}
