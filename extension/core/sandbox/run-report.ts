/**
 * What a finished run means, in plain words for the user and in compact text for the model:
 * the ending (exit code, time limit, memory, output cap, quota), the output (capped), and the
 * files the run wrote, split into images to show and other files to offer as downloads.
 */
import type { SandboxFileEntry, SandboxRunEnd } from './ports';

/**
 * File names shown as images on the card (blob: URLs in an <img>). Raster formats only: an
 * SVG is a document that can carry script, so it is offered as a download instead.
 */
const IMAGE_EXT = /\.(png|jpe?g|gif|webp)$/i;
/** At most this many images and files are listed on one card. */
export const MAX_SHOWN_FILES = 12;
/** Output kept on the card per stream (the live view shows everything as it arrives). */
export const CARD_OUTPUT_CHARS = 32_000;
/** Output sent back to the model per stream. */
export const MODEL_OUTPUT_CHARS = 8_000;

/** A file the run created or changed. */
export interface ProducedFile {
  path: string;
  size: number;
}

/** Dotfiles and anything in a dot-folder (caches such as `.cache/matplotlib`, config). */
export const isHiddenPath = (path: string): boolean =>
  path.split('/').some((segment) => segment.startsWith('.'));

/**
 * Files written by the run: new paths, or paths whose size or mtime changed. Hidden files
 * (library caches) are not results; the Files panel still lists them on request.
 */
export function producedFiles(
  before: readonly SandboxFileEntry[],
  after: readonly SandboxFileEntry[],
): { images: ProducedFile[]; files: ProducedFile[] } {
  const old = new Map(before.map((f) => [f.path, f]));
  const changed = after
    .filter((f) => f.type === 'file' && !isHiddenPath(f.path))
    .filter((f) => {
      const o = old.get(f.path);
      return o === undefined || o.size !== f.size || o.mtimeMs !== f.mtimeMs;
    })
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((f) => ({ path: f.path, size: f.size }));
  return {
    images: changed.filter((f) => IMAGE_EXT.test(f.path)).slice(0, MAX_SHOWN_FILES),
    files: changed.filter((f) => !IMAGE_EXT.test(f.path)).slice(0, MAX_SHOWN_FILES),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** One sentence saying how the run ended. */
export function endSummary(end: SandboxRunEnd): string {
  const parts: string[] = [];
  if (end.timedOut) parts.push(`Stopped at the time limit (${seconds(end.durationMs)}).`);
  else if (end.oomKilled) parts.push('Stopped: the program ran out of memory.');
  else if (end.outputTruncated) parts.push('Stopped: the program printed more than the limit.');
  else if (end.exitCode === 0) parts.push(`Finished in ${seconds(end.durationMs)}.`);
  else if (end.exitCode !== null) {
    parts.push(`Exited with code ${end.exitCode} after ${seconds(end.durationMs)}.`);
  } else if (end.signal !== null) parts.push(`Ended by ${end.signal}.`);
  else parts.push('Ended.');
  if (end.quotaExceeded) {
    parts.push('The workspace is over its size quota: delete files before the next run.');
  }
  return parts.join(' ');
}

/** Appends to a capped buffer; once full, remembers how much was dropped. */
export function createOutputBuffer(limit: number) {
  let text = '';
  let dropped = 0;
  return {
    push(data: string): void {
      const room = limit - text.length;
      if (room > 0) text += data.slice(0, room);
      dropped += Math.max(0, data.length - Math.max(0, room));
    },
    text: () => text,
    dropped: () => dropped,
  };
}

/** Head and tail of long output, with a marker saying how much was left out. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.75);
  const tail = max - head;
  return `${text.slice(0, head)}\n…[${text.length - max} characters omitted]…\n${text.slice(-tail)}`;
}

/** The tool result the model reads. */
export function modelReport(o: {
  end: SandboxRunEnd;
  stdout: string;
  stderr: string;
  images: readonly ProducedFile[];
  files: readonly ProducedFile[];
}): string {
  const lines = [
    `exit_code: ${o.end.exitCode ?? 'none'}${o.end.signal ? ` (signal ${o.end.signal})` : ''}`,
    `status: ${endSummary(o.end)}`,
  ];
  if (o.stdout) lines.push(`stdout:\n${clip(o.stdout, MODEL_OUTPUT_CHARS)}`);
  if (o.stderr) lines.push(`stderr:\n${clip(o.stderr, MODEL_OUTPUT_CHARS)}`);
  if (!o.stdout && !o.stderr) lines.push('(no output)');
  if (o.images.length > 0) {
    lines.push(`images saved (shown to the user): ${o.images.map((f) => f.path).join(', ')}`);
  }
  if (o.files.length > 0) {
    lines.push(`files written (offered as downloads): ${o.files.map((f) => f.path).join(', ')}`);
  }
  return lines.join('\n');
}
