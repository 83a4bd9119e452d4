import { useState, type FormEvent } from 'react';
import type { ExportFormat } from '../../core/data/data-service';
import type { DataProgress } from '../../core/data/export-data';
import type { PageDataControls } from '../../adapters/data/page-data';
import { useAsyncAction } from '../hooks/use-async-action';
import { dataErrorText, downloadBytes, progressText } from './data-ui';

const FORMATS: { value: ExportFormat; label: string; hint: string }[] = [
  {
    value: 'json',
    label: 'JSON (everything)',
    hint: 'One file; its format is published as a JSON Schema.',
  },
  {
    value: 'markdown',
    label: 'Markdown (zip)',
    hint: 'One readable .md file per conversation, plus your other data.',
  },
  {
    value: 'bundle',
    label: 'Encrypted bundle',
    hint: 'Sealed with a passphrase of its own; the only format that can include API keys.',
  },
];

/** Options → Data → Export. */
export function ExportPanel({ data }: { data: PageDataControls['data'] }) {
  const [format, setFormat] = useState<ExportFormat>('json');
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [keys, setKeys] = useState(false);
  const [progress, setProgress] = useState<DataProgress>();
  const [result, setResult] = useState<string>();
  const action = useAsyncAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setResult(undefined);
    if (format === 'bundle' && pass !== confirm) return setResult('The two passphrases differ.');
    void action.run(async () => {
      try {
        const file = await data.exportAs(format, {
          ...(format === 'bundle' ? { passphrase: pass, includeKeys: keys } : {}),
          onProgress: setProgress,
        });
        downloadBytes(file.name, file.mime, file.bytes);
        setPass('');
        setConfirm('');
        setResult(
          `Exported ${file.name}.` +
            (file.damaged
              ? ` ${file.damaged} damaged item(s) could not be decrypted and were left out.`
              : ''),
        );
      } catch (err) {
        setResult(dataErrorText(err, 'The export failed. Nothing was downloaded.'));
      } finally {
        setProgress(undefined);
      }
    });
  };

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="export-title">
      <h3 id="export-title">Export</h3>
      <fieldset className="stack">
        <legend className="sr-only">Format</legend>
        {FORMATS.map((f) => (
          <label key={f.value} className="row">
            <input
              type="radio"
              name="export-format"
              data-testid={`export-format-${f.value}`}
              checked={format === f.value}
              onChange={() => setFormat(f.value)}
            />
            <span>
              {f.label} <span className="muted">— {f.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {format === 'bundle' && (
        <div className="stack">
          <label>
            Bundle passphrase (not your Nook passphrase; at least 8 characters)
            <input
              data-testid="export-passphrase"
              type="password"
              autoComplete="new-password"
              value={pass}
              onChange={(e) => setPass(e.target.value)}
            />
          </label>
          <label>
            Repeat the bundle passphrase
            <input
              data-testid="export-passphrase-confirm"
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          </label>
          <label className="row">
            <input
              data-testid="export-include-keys"
              type="checkbox"
              checked={keys}
              onChange={(e) => setKeys(e.target.checked)}
            />
            Include API keys (anyone with this file and its passphrase can use them)
          </label>
        </div>
      )}
      <div className="row">
        <button data-testid="export-start" type="submit" className="primary" disabled={action.busy}>
          {action.busy ? 'Exporting…' : 'Export'}
        </button>
        {progress && (
          <span className="grow stack">
            <progress
              className="progress"
              data-testid="data-progress"
              max={progress.total}
              value={progress.done}
            />
            <span className="muted">{progressText(progress)}</span>
          </span>
        )}
      </div>
      {result && (
        <p data-testid="export-result" role="status">
          {result}
        </p>
      )}
    </form>
  );
}
