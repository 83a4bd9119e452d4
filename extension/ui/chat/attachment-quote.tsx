import type { PageAttachment } from '../../core/models';
import type { RedactionSummaryItem } from '../../core/redaction/types';

/** The page text or selection a message carries: title, real URL, and the quoted text. */
export function AttachmentQuote({
  attachment,
  onRemove,
}: {
  attachment: Omit<PageAttachment, 'boundary'>;
  onRemove?: () => void;
}) {
  const lines = attachment.text.split('\n');
  const preview = lines.slice(0, 6).join('\n');
  return (
    <figure data-testid="attachment" data-source={attachment.source} className="attachment">
      <figcaption className="row small">
        <span className="grow">
          {attachment.source === 'selection' ? 'Selection from ' : 'Page: '}
          <strong data-testid="attachment-title">{attachment.title || 'Untitled page'}</strong>
          <br />
          <span data-testid="attachment-url" className="muted">
            {attachment.url}
          </span>
        </span>
        {onRemove && (
          <button data-testid="attachment-remove" type="button" className="link" onClick={onRemove}>
            Remove
          </button>
        )}
      </figcaption>
      <blockquote data-testid="attachment-text">
        {preview}
        {(lines.length > 6 || attachment.truncated) && '…'}
      </blockquote>
      <p className="small muted">
        Sent as quoted page content; the model is told not to follow instructions in it.
        {attachment.truncated && ' Long text was cut.'}
      </p>
    </figure>
  );
}

/** "2 items redacted" under a sent message. */
export function RedactionBadge({ items }: { items: readonly RedactionSummaryItem[] | undefined }) {
  const n = (items ?? []).reduce((s, i) => s + i.count, 0);
  if (n === 0) return null;
  return (
    <span data-testid="msg-redacted" className="muted small">
      {n} {n === 1 ? 'item' : 'items'} redacted before sending
    </span>
  );
}
