import { useRef, useState, type FormEvent } from 'react';
import type { PageDataControls } from '../../adapters/data/page-data';
import type { ImportKind, ImportSource } from '../../core/data/data-service';
import type { DataProgress } from '../../core/data/export-data';
import { useAsyncAction } from '../hooks/use-async-action';
import { dataErrorText, progressText } from './data-ui';

const KIND_LABEL: Record<ImportKind, string> = {
  'nook-json': 'Nook export (JSON)',
  'nook-markdown': 'Nook Markdown export (zip)',
  'nook-bundle': 'Nook encrypted bundle',
  chatgpt: 'ChatGPT export (conversations.json)',
};

const sourceOf = (file: File): ImportSource => ({
  name: file.name,
  size: file.size,
  bytes: async () => new Uint8Array(await file.arrayBuffer()),
});

/** Options → Data → Import: Nook JSON / Markdown zip / bundle, or ChatGPT's conversations.json. */
export function ImportPanel({ data }: { data: PageDataControls['data'] }) {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [kind, setKind] = useState<ImportKind>();
  const [pass, setPass] = useState('');
  const [progress, setProgress] = useState<DataProgress>();
  const [result, setResult] = useState<string>();
  const action = useAsyncAction();

  const pick = (f: File | undefined) => {
    setFile(f);
    setKind(undefined);
    setResult(undefined);
    if (!f) return;
    void data
      .detect(sourceOf(f))
      .then(setKind, (err: unknown) =>
        setResult(dataErrorText(err, 'This file could not be read. Nothing was imported.')),
      );
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return setResult('Choose a file first.');
    setResult(undefined);
    void action.run(async () => {
      try {
        const s = await data.importFile(sourceOf(file), {
          ...(kind === 'nook-bundle' ? { passphrase: pass } : {}),
          onProgress: setProgress,
        });
        setPass('');
        setResult(
          s.added + s.updated === 0
            ? `Nothing new: all ${s.unchanged} item(s) were already here.`
            : `Imported ${KIND_LABEL[s.kind]}: ${s.added} added, ${s.updated} updated, ${s.unchanged} already here.`,
        );
      } catch (err) {
        setResult(dataErrorText(err, 'The import failed. Nothing was imported.'));
      } finally {
        setProgress(undefined);
      }
    });
  };

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="import-title">
      <h3 id="import-title">Import</h3>
      <p className="muted">
        A Nook export (JSON, Markdown zip or encrypted bundle) or ChatGPT&apos;s conversations.json.
        Importing the same file again adds nothing; a file that fails a check imports nothing.
      </p>
      <input
        ref={input}
        data-testid="import-file"
        type="file"
        accept=".json,.zip,.nookbundle,application/json,application/zip"
        onChange={(e) => pick(e.target.files?.[0])}
      />
      {kind && (
        <p className="muted" data-testid="import-kind">
          {KIND_LABEL[kind]}
        </p>
      )}
      {kind === 'nook-bundle' && (
        <label>
          Bundle passphrase
          <input
            data-testid="import-passphrase"
            type="password"
            autoComplete="off"
            value={pass}
            onChange={(e) => setPass(e.target.value)}
          />
        </label>
      )}
      <div className="row">
        <button data-testid="import-start" type="submit" disabled={action.busy || !file}>
          {action.busy ? 'Importing…' : 'Import'}
        </button>
        {progress && <span className="muted">{progressText(progress)}</span>}
      </div>
      {result && (
        <p data-testid="import-result" role="status">
          {result}
        </p>
      )}
    </form>
  );
}
