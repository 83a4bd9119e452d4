import { useState } from 'react';
import { sandboxErrorMessage } from '../../core/sandbox/errors';
import type { SandboxPort } from '../../core/sandbox/ports';
import { formatBytes, saveBytes } from './blob';

/** A result file offered as a download (fetched with the token when clicked). */
export function FileDownload({
  sandbox,
  path,
  size,
}: {
  sandbox: SandboxPort;
  path: string;
  size: number;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      saveBytes(await sandbox.download(path), path);
    } catch (e) {
      setError(sandboxErrorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="row sandbox-file">
      <button
        type="button"
        className="link"
        data-testid="run-file-download"
        data-path={path}
        disabled={busy}
        onClick={() => void download()}
      >
        {path}
      </button>
      <span className="muted small">{formatBytes(size)}</span>
      {error && (
        <span className="error small" role="alert">
          {error}
        </span>
      )}
    </li>
  );
}
