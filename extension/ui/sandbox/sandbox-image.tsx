import { useEffect, useState } from 'react';
import { sandboxErrorMessage } from '../../core/sandbox/errors';
import type { SandboxPort } from '../../core/sandbox/ports';
import { baseName, mimeOf } from './blob';

/** An image the code saved in the workspace, fetched with the token and shown from a blob: URL. */
export function SandboxImage({ sandbox, path }: { sandbox: SandboxPort; path: string }) {
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    let made: string | undefined;
    sandbox.download(path).then(
      (bytes) => {
        if (!live) return;
        made = URL.createObjectURL(
          new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeOf(path) }),
        );
        setUrl(made);
      },
      (e: unknown) => live && setError(sandboxErrorMessage(e)),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [sandbox, path]);

  if (error) {
    return (
      <p className="muted small" data-testid="run-image-error">
        {baseName(path)}: {error}
      </p>
    );
  }
  if (!url) return <p className="muted small">Loading {baseName(path)}…</p>;
  return (
    <figure className="sandbox-image">
      <img
        data-testid="run-image"
        data-path={path}
        src={url}
        alt={`${baseName(path)} (saved by the code)`}
      />
      <figcaption className="muted small">{path}</figcaption>
    </figure>
  );
}
