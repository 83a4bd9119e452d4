import { useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ChatController } from '../../core/conversations/chat-controller';
import { prepareOutbound } from '../../core/redaction/outbound';
import type { Redactor } from '../../core/redaction/redactor';
import type { BudgetGate } from '../../core/usage/budget-gate';
import { BudgetNotice } from '../data/budget-notice';
import { AttachmentQuote } from './attachment-quote';
import { RedactionPreview } from './redaction-preview';

/**
 * Message box: Enter sends, Shift+Enter adds a line. The text stays if saving fails.
 * While an answer streams the Send button becomes Stop (Esc works too, see ChatShell).
 */
export function Composer({
  chat,
  streaming = false,
  redactor,
}: {
  /** `budget` (Options → Usage) may hold a send at 100 % until "Send anyway". */
  chat: ChatController & { budget?: BudgetGate };
  streaming?: boolean;
  /** Shows what will be redacted before sending (and lets the user undo one). */
  redactor?: () => Redactor;
}) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  // Undone findings, by the text they cover: an undo survives further typing.
  const [keptValues, setKeptValues] = useState<ReadonlySet<string>>(new Set());
  const box = useRef<HTMLTextAreaElement>(null);
  const state = chat.getState();
  const { attachment, prefill } = state;
  const conv = state.conversations.find((c) => c.id === state.selectedId);
  const map = conv?.ok ? conv.value.redactions : undefined;

  // A context-menu click fills the box with its prompt; the user edits it before sending.
  useEffect(() => {
    if (!prefill) return;
    setText(prefill.text);
    box.current?.focus();
  }, [prefill]);

  const deferred = useDeferredValue(text);
  const prepared = useMemo(
    () => (redactor ? prepareOutbound(redactor(), deferred, attachment, map) : undefined),
    [redactor, deferred, attachment, map],
  );
  const keepIn = (p: typeof prepared) =>
    new Set(
      (p?.findings ?? [])
        .filter((f) => keptValues.has(p?.text.slice(f.start, f.end) ?? ''))
        .map((f) => f.id),
    );
  const keep = keepIn(prepared);

  const send = async () => {
    if (sending || streaming || (!text.trim() && !attachment)) return;
    setSending(true);
    // The preview must match what is sent; if the text moved on, scan it now (no undo).
    const current =
      redactor && (deferred !== text || !prepared)
        ? prepareOutbound(redactor(), text, attachment, map)
        : prepared;
    const saved = await chat.send(text, {
      ...(attachment ? { attachment } : {}),
      ...(current ? { findings: current.findings } : {}),
      keep: keepIn(current),
    });
    setSending(false);
    if (saved) {
      setText('');
      setKeptValues(new Set());
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter while an IME is composing confirms the candidate; it must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  const sendAnyway = () => {
    chat.budget?.allowOnce();
    void send();
  };

  return (
    <div className="composer row">
      {chat.budget && <BudgetNotice gate={chat.budget} onSendAnyway={sendAnyway} />}
      {attachment && (
        <AttachmentQuote
          attachment={attachment}
          onRemove={() => void chat.attach(undefined, text)}
        />
      )}
      {prepared && (
        <RedactionPreview
          text={prepared.text}
          findings={prepared.findings}
          keep={keep}
          onToggle={(id) => {
            const f = prepared.findings.find((x) => x.id === id);
            if (!f) return;
            const value = prepared.text.slice(f.start, f.end);
            setKeptValues((k) => {
              const next = new Set(k);
              if (!next.delete(value)) next.add(value);
              return next;
            });
          }}
        />
      )}
      <textarea
        ref={box}
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
