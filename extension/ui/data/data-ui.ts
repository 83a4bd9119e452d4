import { DataError } from '../../core/data/errors';
import type { DataProgress } from '../../core/data/export-data';
import { MemoryError } from '../../core/memory/memory-store';
import { errorText } from '../hooks/error-text';

/** Saves bytes as a download from an extension page (no network, no permissions). */
export function downloadBytes(name: string, mime: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL dies.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** User text for a failure of a data control (coded errors carry their own). */
export function dataErrorText(e: unknown, fallback: string): string {
  if (e instanceof DataError || e instanceof MemoryError) return e.message;
  return errorText(e, fallback);
}

const PHASE: Record<DataProgress['phase'], string> = {
  reading: 'Reading your data',
  packing: 'Packing files',
  sealing: 'Encrypting (this takes a few seconds)',
  checking: 'Checking the file',
  writing: 'Saving',
  done: 'Done',
};

/** "Reading your data: 120 of 400". */
export function progressText(p: DataProgress): string {
  return p.total > 1 ? `${PHASE[p.phase]}: ${p.done} of ${p.total}` : PHASE[p.phase];
}
