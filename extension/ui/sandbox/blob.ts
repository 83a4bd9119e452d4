/**
 * Sandbox bytes in the page: raster images become blob: URLs for an <img>; everything else
 * (SVG included, which can carry script) is saved through a temporary <a download> as opaque
 * bytes, never rendered. The bytes are fetched with
 * the bearer token by the sandbox client; no relay URL is ever put in the DOM.
 */

const TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** The MIME type for a workspace file name (raster images only; the rest is opaque bytes). */
export function mimeOf(path: string): string {
  const ext = path.split('.').pop()?.toLowerCase() ?? '';
  return TYPES[ext] ?? 'application/octet-stream';
}

/** The last segment of a workspace path. */
export const baseName = (path: string): string => path.split('/').pop() || 'download';

/** Saves bytes as a file through the browser's download flow. */
export function saveBytes(bytes: Uint8Array, path: string): void {
  const url = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = baseName(path);
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL; release it once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Bytes in plain units (binary). */
export { formatBytes } from '../../core/sandbox/status-store';
