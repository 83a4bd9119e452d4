import type { ToolProgress } from '../../core/tools/types';

/** Live output keeps at most this many characters on screen (the newest). */
const LIVE_CHARS = 64_000;

/** Output chunks in production order, stderr marked; older text scrolls off past the cap. */
export function LiveOutput({ progress }: { progress: readonly ToolProgress[] }) {
  const chunks: { stream: 'stdout' | 'stderr'; data: string }[] = [];
  let total = 0;
  for (let i = progress.length - 1; i >= 0 && total < LIVE_CHARS; i--) {
    const p = progress[i];
    if (!p || p.stream === 'status') continue;
    const data = p.data.slice(-(LIVE_CHARS - total));
    chunks.unshift({ stream: p.stream, data });
    total += data.length;
  }
  const status = [...progress].reverse().find((p) => p.stream === 'status')?.data;
  return (
    <div className="run-output" data-testid="run-live">
      {status && <p className="muted small">{status}</p>}
      {chunks.length > 0 && (
        <pre data-testid="run-live-output">
          {chunks.map((c, i) => (
            <span key={i} className={c.stream}>
              {c.data}
            </span>
          ))}
        </pre>
      )}
    </div>
  );
}

/** Saved stdout / stderr of a finished run. */
export function SavedOutput({
  stdout,
  stderr,
  droppedChars,
}: {
  stdout: string;
  stderr: string;
  droppedChars: number;
}) {
  return (
    <div className="run-output">
      {stdout && <pre data-testid="run-stdout">{stdout}</pre>}
      {stderr && (
        <pre className="stderr" data-testid="run-stderr">
          {stderr}
        </pre>
      )}
      {droppedChars > 0 && (
        <p className="muted small">{droppedChars} more characters of output are not kept here.</p>
      )}
    </div>
  );
}
