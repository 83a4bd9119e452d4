import type { Finding } from '../../core/redaction/types';

/**
 * What will be redacted before sending: one line per finding with its placeholder and an
 * Undo ("send this one as it is") that can be taken back. The secret itself is shown only
 * masked, so a shoulder-surfer learns nothing new from the preview.
 */
export function RedactionPreview({
  text,
  findings,
  keep,
  onToggle,
}: {
  text: string;
  findings: readonly Finding[];
  keep: ReadonlySet<string>;
  onToggle: (id: string) => void;
}) {
  if (findings.length === 0) return null;
  const redacted = findings.filter((f) => !keep.has(f.id)).length;
  return (
    <div data-testid="redaction-preview" className="redaction-preview small" role="status">
      <strong>
        {redacted} of {findings.length} will be replaced before sending
      </strong>
      <ul>
        {findings.map((f) => {
          const kept = keep.has(f.id);
          const raw = text.slice(f.start, f.end);
          const masked = raw.length > 8 ? `${raw.slice(0, 3)}…${raw.slice(-2)}` : '•••';
          return (
            <li key={f.id} data-testid="redaction-item" data-kept={kept} className="row">
              <span className="grow">
                {f.label} <code>{masked}</code> →{' '}
                {kept ? <em>sent as typed</em> : <code>{f.placeholder}</code>}
              </span>
              <button
                data-testid="redaction-undo"
                type="button"
                className="link"
                onClick={() => onToggle(f.id)}
              >
                {kept ? 'Redact' : 'Undo'}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
