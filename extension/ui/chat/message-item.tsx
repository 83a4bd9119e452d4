import { memo, useState } from 'react';
import type { ChatController } from '../../core/conversations/chat-controller';
import type { Message } from '../../core/models';
import { MarkdownView } from '../markdown';
import { AttachmentQuote, RedactionBadge } from './attachment-quote';
import { ToolCalls } from './tool-call-card';

/** Props of {@link MessageItem}. */
export interface MessageItemProps {
  message: Message;
  /** Only the last message offers Regenerate / Retry. */
  isLast: boolean;
  /** True while any answer streams (editing and regenerating wait). */
  busy: boolean;
  chat: ChatController;
}

const STATUS_TEXT = { interrupted: 'Interrupted', error: 'Failed', complete: '' } as const;

/**
 * One saved message with its actions. Memoised: while an answer streams, only the
 * streaming message re-renders, not the saved ones.
 */
export const MessageItem = memo(function MessageItem({
  message,
  isLast,
  busy,
  chat,
}: MessageItemProps) {
  const [editing, setEditing] = useState<string>();
  const [copied, setCopied] = useState(false);
  const { role, status, content } = message;

  const copy = () => {
    void navigator.clipboard.writeText(content).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };

  if (editing !== undefined) {
    return (
      <li data-testid="msg-item" data-role={role} className="message user editing">
        <textarea
          data-testid="msg-edit-input"
          aria-label="Edit your message"
          value={editing}
          rows={3}
          onChange={(e) => setEditing(e.target.value)}
          autoFocus
        />
        <div className="row msg-actions">
          <button
            data-testid="msg-edit-save"
            type="button"
            className="primary"
            disabled={busy || !editing.trim()}
            onClick={() =>
              void chat.editAndResend(message.id, editing).then((ok) => ok && setEditing(undefined))
            }
          >
            Save and resend
          </button>
          <button type="button" className="link" onClick={() => setEditing(undefined)}>
            Cancel
          </button>
        </div>
      </li>
    );
  }

  const failed = status === 'error' || status === 'interrupted';
  return (
    <li
      data-testid="msg-item"
      data-msg-id={message.id}
      data-role={role}
      data-status={status ?? 'complete'}
      className={`message ${role}`}
    >
      <span className="sr-only">{role === 'user' ? 'You' : 'Nook'}: </span>
      {role === 'assistant' ? (
        content !== '' && <MarkdownView text={content} />
      ) : (
        <div className="plain">{content}</div>
      )}
      {message.attachment && <AttachmentQuote attachment={message.attachment} />}
      {role === 'assistant' && <ToolCalls message={message} chat={chat} />}
      {failed && (
        <p className="msg-problem" role="alert">
          <span data-testid="msg-status" className="badge">
            {STATUS_TEXT[status]}
          </span>{' '}
          {message.error && <span data-testid="msg-error">{message.error}</span>}
        </p>
      )}
      <div className="row msg-actions">
        {content !== '' && (
          <button data-testid="msg-copy" type="button" className="link" onClick={copy}>
            {copied ? 'Copied' : 'Copy'}
          </button>
        )}
        {role === 'user' && (
          <button
            data-testid="msg-edit"
            type="button"
            className="link"
            disabled={busy}
            onClick={() => setEditing(content)}
          >
            Edit
          </button>
        )}
        {role === 'assistant' && isLast && (
          <button
            data-testid={failed ? 'msg-retry' : 'msg-regenerate'}
            type="button"
            className="link"
            disabled={busy}
            onClick={() => void chat.regenerate()}
          >
            {failed ? 'Retry' : 'Regenerate'}
          </button>
        )}
        <RedactionBadge items={message.redactions} />
        {message.usage && (
          <span data-testid="msg-usage" className="muted small">
            {message.usage.inputTokens} in · {message.usage.outputTokens} out tokens
          </span>
        )}
      </div>
    </li>
  );
});
