import { useEffect, useRef, useState } from 'react';
import type { ChatState } from '../../core/conversations/chat-state';

/** What a screen reader hears when an answer of the open conversation has finished. */
export function announcementFor(state: ChatState, id: string): string | undefined {
  const m = state.messages.find((x) => x.id === id);
  if (m === undefined || !m.ok || m.value.role !== 'assistant') return undefined;
  const { content, status, error } = m.value;
  if (status === 'error') return `Nook's answer failed${error ? `: ${error}` : '.'}`;
  if (status === 'interrupted') return `Nook's answer stopped. ${content}`.trim();
  return `Nook: ${content}`;
}

/**
 * The chat's one live region. It speaks an answer once, when it finishes (not token by token
 * while it streams), and stays silent when a conversation opens or older messages mount as
 * the user scrolls up: announcing the whole list was what a live message list did.
 */
export function AnswerAnnouncer({ state }: { state: ChatState }) {
  const [text, setText] = useState('');
  const previous = useRef<{ conversation?: string; streaming?: string }>({});
  useEffect(() => {
    const was = previous.current;
    previous.current = { conversation: state.selectedId, streaming: state.streamingId };
    if (was.conversation !== state.selectedId) setText('');
    else if (was.streaming !== undefined && state.streamingId !== was.streaming) {
      const said = announcementFor(state, was.streaming);
      if (said !== undefined) setText(said);
    }
  }, [state]);
  return (
    <p data-testid="msg-announcer" className="sr-only" role="status" aria-live="polite">
      {text}
    </p>
  );
}
