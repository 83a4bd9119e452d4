import { startTransition, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ChatController, ChatState } from '../../core/conversations/chat-controller';
import { RECORD_ERROR_MESSAGE } from '../../core/records/record-repo-port';
import { usePinnedScroll } from '../hooks/use-pinned-scroll';
import { MessageItem } from './message-item';
import { StreamingMessage } from './streaming-message';

/**
 * How many of the newest messages an opened conversation mounts: enough to fill a tall
 * panel, few enough that opening 1,000 messages costs what opening 20 does.
 */
export const INITIAL_WINDOW = 20;
/** How many older messages are mounted each time the user scrolls near the top. */
export const EARLIER_PAGE = 40;
/** Older messages are mounted while the top of the list is this close (a viewport) above. */
const PRELOAD_MARGIN = '100% 0px 0px 0px';

/**
 * The messages of the open conversation. Long conversations are windowed: only the newest
 * INITIAL_WINDOW are mounted on opening, and EARLIER_PAGE more each time the user scrolls
 * towards the top (or presses "Show earlier"), keeping what they read in place. Each item
 * also uses `content-visibility: auto`, so off-screen messages cost no layout or paint.
 */
export function MessageList({ chat, state }: { chat: ChatController; state: ChatState }) {
  const { messages, selectedId } = state;
  // The oldest mounted message once the user has asked for earlier ones; until then the
  // window is the newest INITIAL_WINDOW (and follows new messages).
  const [first, setFirst] = useState<{ conversation?: string; id?: string }>({
    conversation: selectedId,
  });
  if (first.conversation !== selectedId) setFirst({ conversation: selectedId });
  const firstIndex = first.id === undefined ? -1 : messages.findIndex((m) => m.id === first.id);
  const start = firstIndex >= 0 ? firstIndex : Math.max(0, messages.length - INITIAL_WINDOW);
  const earlierId = start > 0 ? messages[Math.max(0, start - EARLIER_PAGE)]?.id : undefined;

  const box = useRef<HTMLOListElement>(null);
  const earlierRow = useRef<HTMLLIElement>(null);
  const scroll = usePinnedScroll(box);
  const { keep, pin } = scroll;

  // A conversation opens at its newest message.
  useLayoutEffect(pin, [pin, selectedId]);
  useLayoutEffect(keep, [keep, messages, start]);
  // Items render at their real height only once on screen (content-visibility: auto) and
  // Markdown arrives lazily, so sizes keep changing after the first paint: re-apply the
  // position (bottom, or the message being read) whenever one does.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const follow = new ResizeObserver(keep);
    for (const child of Array.from(el.children)) follow.observe(child);
    return () => follow.disconnect();
  }, [keep, messages, start]);

  const showEarlier = () => {
    if (earlierId !== undefined)
      startTransition(() => setFirst({ conversation: selectedId, id: earlierId }));
  };
  // Scrolling near the top mounts the next older page (in a transition: scrolling stays
  // smooth while it renders). Observed afresh after each page, so a short page that leaves
  // the top still in reach loads the next one too.
  useEffect(() => {
    const root = box.current;
    const row = earlierRow.current;
    if (!root || !row || earlierId === undefined || typeof IntersectionObserver === 'undefined')
      return;
    const near = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting))
          startTransition(() => setFirst({ conversation: selectedId, id: earlierId }));
      },
      { root, rootMargin: PRELOAD_MARGIN },
    );
    near.observe(row);
    return () => near.disconnect();
  }, [earlierId, selectedId]);

  const lastId = messages.at(-1)?.id;
  const busy = state.streamingId !== undefined;
  return (
    // Not a live region: finished answers are spoken by AnswerAnnouncer, so opening a
    // conversation or mounting older messages announces nothing.
    <ol ref={box} data-testid="msg-list" className="messages" onScroll={scroll.onScroll}>
      {start > 0 && (
        <li ref={earlierRow} className="center" data-no-anchor>
          <button
            data-testid="msg-show-earlier"
            type="button"
            className="link"
            onClick={showEarlier}
          >
            Show {Math.min(start, EARLIER_PAGE)} earlier messages
          </button>
        </li>
      )}
      {messages.slice(start).map((m) => {
        if (!m.ok) {
          return (
            <li key={m.id} data-testid="record-error" className="message record-error" role="note">
              {RECORD_ERROR_MESSAGE[m.error.code]}
            </li>
          );
        }
        if (m.id === state.streamingId)
          return <StreamingMessage key={m.id} chat={chat} onGrow={keep} />;
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
