import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { isHiddenPath } from '../../core/sandbox/run-report';
import type { SandboxFilesStore } from '../../core/sandbox/files-store';
import { useStore } from '../hooks/use-store';
import { formatBytes, saveBytes } from './blob';
import './sandbox.css';

/**
 * The side panel's Files panel: the sandbox workspace on the relay. Upload a file for the
 * code to read, download results, delete what is no longer needed.
 */
export function FilesPanel({ store, onClose }: { store: SandboxFilesStore; onClose: () => void }) {
  const s = useStore(store);
  const input = useRef<HTMLInputElement>(null);
  const [showHidden, setShowHidden] = useState(false);
  const hidden = s.files.filter((f) => isHiddenPath(f.path)).length;
  const shown = showHidden ? s.files : s.files.filter((f) => !isHiddenPath(f.path));

  useEffect(() => {
    void store.refresh();
    return store.watch();
  }, [store]);

  const onPick = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    e.target.value = '';
    for (const f of files) {
      const ok = await store.upload(f.name, new Uint8Array(await f.arrayBuffer()));
      if (!ok) break;
    }
  };
  const download = async (path: string) => {
    const bytes = await store.download(path);
    if (bytes) saveBytes(bytes, path);
  };

  return (
    <section
      className="sandbox-files card stack"
      data-testid="sandbox-files"
      aria-label="Sandbox files"
    >
      <div className="row">
        <strong className="grow">Sandbox files</strong>
        <button
          type="button"
          data-testid="sandbox-files-refresh"
          onClick={() => void store.refresh()}
        >
          Refresh
        </button>
        <button type="button" data-testid="sandbox-files-close" onClick={onClose}>
          Close
        </button>
      </div>
      {s.connected === false ? (
        <p data-testid="sandbox-files-not-connected" role="status">
          Files live in your private sandbox on your relay. Connect a relay in Options → Sync first.
        </p>
      ) : (
        <>
          <div className="row">
            <input
              ref={input}
              type="file"
              multiple
              hidden
              data-testid="sandbox-upload-input"
              onChange={(e) => void onPick(e)}
            />
            <button
              type="button"
              className="primary"
              data-testid="sandbox-upload"
              disabled={s.busy !== undefined}
              onClick={() => input.current?.click()}
            >
              {s.busy === 'upload' ? 'Uploading…' : 'Upload a file'}
            </button>
            <span className="muted small">The code reads it by its name.</span>
          </div>
          {shown.length === 0 && !s.loading && (
            <p className="muted small" data-testid="sandbox-files-empty">
              No files yet.
            </p>
          )}
          <ul className="sandbox-file-list">
            {shown.map((f) => (
              <li key={f.path} className="row" data-testid="sandbox-file-item" data-path={f.path}>
                <span className="grow sandbox-path">{f.path}</span>
                <span className="muted small">{formatBytes(f.size)}</span>
                <button
                  type="button"
                  data-testid="sandbox-file-download"
                  disabled={s.busy !== undefined}
                  onClick={() => void download(f.path)}
                >
                  Download
                </button>
                <button
                  type="button"
                  className="danger"
                  data-testid="sandbox-file-delete"
                  aria-label={`Delete ${f.path}`}
                  disabled={s.busy !== undefined}
                  onClick={() => void store.remove(f.path)}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
          {hidden > 0 && (
            <label className="small muted">
              <input
                type="checkbox"
                data-testid="sandbox-files-show-hidden"
                checked={showHidden}
                onChange={(e) => setShowHidden(e.target.checked)}
              />{' '}
              Show {hidden} hidden {hidden === 1 ? 'file' : 'files'} (caches, settings)
            </label>
          )}
          {s.truncated && <p className="muted small">Only the first files are listed.</p>}
        </>
      )}
      {s.notice && (
        <p className="muted small" role="status" data-testid="sandbox-files-notice">
          {s.notice}
        </p>
      )}
      {s.error && (
        <p className="error small" role="alert" data-testid="sandbox-files-error">
          {s.error}
        </p>
      )}
    </section>
  );
}
