import { useState, type KeyboardEvent } from 'react';
import type { ChatController } from '../../core/conversations/chat-controller';

/**
 * Message box: Enter sends, Shift+Enter adds a line. The text stays if saving fails.
 * While an answer streams the Send button becomes Stop (Esc works too, see ChatShell).
 */
export function Composer({
  chat,
  streaming = false,
}: {
  chat: ChatController;
  streaming?: boolean;
}) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);

  const send = async () => {
    if (sending || streaming || !text.trim()) return;
    setSending(true);
    const saved = await chat.send(text);
    setSending(false);
    if (saved) setText('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter while an IME is composing confirms the candidate; it must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <div className="composer row">
      <textarea
        data-testid="composer-input"
        aria-label="Message"
        placeholder="Message Nook…"
        rows={2}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {streaming ? (
        <button data-testid="msg-stop" type="button" className="danger" onClick={() => chat.stop()}>
          Stop
        </button>
      ) : (
        <button
          data-testid="composer-send"
          type="button"
          className="primary"
          disabled={sending}
          onClick={() => void send()}
        >
          Send
        </button>
      )}
    </div>
  );
}
