import { SandboxError } from './errors';
import { buildSingleFileTar, parseSingleFileTar } from './tar';

/**
 * File transfer through Docker's archive endpoints. Structural types only, so this file
 * does not import dockerode (docker-runner.ts passes its container objects in).
 */

/** The two archive calls of a dockerode `Container` that file transfer uses. */
export interface ArchiveContainer {
  putArchive(
    file: Buffer,
    options: { path: string; noOverwriteDirNonDir?: boolean },
  ): Promise<unknown>;
  getArchive(options: { path: string }): Promise<NodeJS.ReadableStream>;
}

/** Room for tar headers (and a PAX record) around the file's bytes. */
const TAR_OVERHEAD = 64 * 1024;
const REFUSED_TYPES = new Set(['1', '2', '3', '4', '5', '6']);

/** Writes `bytes` as `dir/name` via a one-entry tar owned by the sandbox user. */
export async function putFile(
  container: ArchiveContainer,
  dir: string,
  name: string,
  bytes: Uint8Array,
): Promise<void> {
  const tar = buildSingleFileTar(name, bytes);
  try {
    // noOverwriteDirNonDir: a file never replaces a directory (and vice versa).
    await container.putArchive(Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength), {
      path: dir,
      noOverwriteDirNonDir: true,
    });
  } catch (cause) {
    const status = statusOf(cause);
    if (status === 400 || status === 403 || status === 404) {
      throw new SandboxError('bad-path', 'The file cannot be written at that path.', { cause });
    }
    throw new SandboxError('unavailable', 'Docker refused the upload.', { cause });
  }
}

/**
 * Reads one regular file. The archive is held in memory with a hard cap and parsed there;
 * anything but a single regular file is refused, and nothing touches the host's disk.
 */
export async function getFile(
  container: ArchiveContainer,
  path: string,
  maxBytes: number,
): Promise<Uint8Array> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await container.getArchive({ path });
  } catch (cause) {
    if (statusOf(cause) === 404) {
      throw new SandboxError('not-found', 'No such file in the workspace.', { cause });
    }
    throw new SandboxError('unavailable', 'Docker refused the download.', { cause });
  }
  const archive = await collect(stream, maxBytes + TAR_OVERHEAD);
  return parseSingleFileTar(archive, maxBytes).bytes;
}

function collect(stream: NodeJS.ReadableStream, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let total = 0;
    let done = false;
    const stop = (err: SandboxError) => {
      if (done) return;
      done = true;
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      reject(err);
    };
    stream.on('data', (chunk: Buffer) => {
      if (done) return;
      parts.push(chunk);
      total += chunk.length;
      // Refuse a directory, symlink or device as soon as its header shows, not after
      // reading (say) a whole directory tree up to the cap.
      if (parts.length === 1 || total - chunk.length < 512) {
        const head = Buffer.concat(parts);
        const type = head.length >= 512 ? String.fromCharCode(head[156] ?? 0) : '';
        if (REFUSED_TYPES.has(type)) {
          stop(new SandboxError('not-regular-file', 'Only regular files can be downloaded.'));
          return;
        }
      }
      if (total > limit)
        stop(new SandboxError('too-large', 'The file is over the download limit.'));
    });
    stream.on('error', (cause) => {
      if (!done) {
        done = true;
        reject(new SandboxError('unavailable', 'The download failed.', { cause }));
      }
    });
    stream.on('end', () => {
      if (done) return;
      done = true;
      resolve(new Uint8Array(Buffer.concat(parts)));
    });
  });
}

/** HTTP status of a dockerode error, if it has one. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'statusCode' in err) {
    const s = (err as { statusCode: unknown }).statusCode;
    return typeof s === 'number' ? s : undefined;
  }
  return undefined;
}
