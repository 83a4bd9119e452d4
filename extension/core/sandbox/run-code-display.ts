/**
 * The data run_code keeps on its card (`ToolOutcome.display`, stored encrypted with the
 * message) and a reader that accepts only the expected shape, so a damaged or foreign record
 * renders as "no result" rather than breaking the chat.
 */
import type { SandboxRunEnd } from './ports';
import type { ProducedFile } from './run-report';

/** What the run_code card renders after a run. */
export interface RunCodeDisplay {
  kind: 'run_code';
  /** How it ended, in plain words (or why it could not run). */
  summary: string;
  stdout: string;
  stderr: string;
  /** Output the card dropped past its cap (characters). */
  droppedChars: number;
  end: SandboxRunEnd | undefined;
  images: ProducedFile[];
  files: ProducedFile[];
  /** Set when the run could not start or was lost (a SandboxErrorCode). */
  errorCode: string | undefined;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function files(v: unknown): ProducedFile[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter(isObj)
    .filter((f) => typeof f.path === 'string' && typeof f.size === 'number')
    .map((f) => ({ path: f.path as string, size: f.size as number }));
}

function end(v: unknown): SandboxRunEnd | undefined {
  if (!isObj(v)) return undefined;
  const bool = (k: string) => v[k] === true;
  const exitCode = typeof v.exitCode === 'number' ? v.exitCode : null;
  const signal = typeof v.signal === 'string' ? v.signal : null;
  const durationMs = typeof v.durationMs === 'number' ? v.durationMs : 0;
  return {
    exitCode,
    signal,
    timedOut: bool('timedOut'),
    oomKilled: bool('oomKilled'),
    outputTruncated: bool('outputTruncated'),
    quotaExceeded: bool('quotaExceeded'),
    durationMs,
  };
}

/** Reads a stored display; undefined when it is not run_code's. */
export function readRunCodeDisplay(v: unknown): RunCodeDisplay | undefined {
  if (!isObj(v) || v.kind !== 'run_code') return undefined;
  return {
    kind: 'run_code',
    summary: str(v.summary),
    stdout: str(v.stdout),
    stderr: str(v.stderr),
    droppedChars: typeof v.droppedChars === 'number' ? v.droppedChars : 0,
    end: end(v.end),
    images: files(v.images),
    files: files(v.files),
    errorCode: typeof v.errorCode === 'string' ? v.errorCode : undefined,
  };
}
