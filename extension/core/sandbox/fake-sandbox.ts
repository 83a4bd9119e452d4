/**
 * In-memory {@link SandboxPort} for tests: files in a Map, runs scripted by a function that
 * may emit output, write files and return how it ended. `fail` makes the next call of a
 * method throw a SandboxClientError.
 */
import { SandboxClientError, type SandboxErrorCode } from './errors';
import type { SandboxPort, SandboxRunEnd, SandboxRunInput, SandboxStatus } from './ports';

/** What a scripted run may do. */
export interface FakeRunApi {
  emit(stream: 'stdout' | 'stderr', data: string): void;
  write(path: string, bytes: Uint8Array | string): void;
  read(path: string): Uint8Array | undefined;
}

/** A scripted run. */
export type FakeSandboxScript = (
  input: SandboxRunInput,
  api: FakeRunApi,
) => Promise<Partial<SandboxRunEnd> | void> | Partial<SandboxRunEnd> | void;

/** Creates the fake. */
export function createFakeSandbox(
  o: { script?: FakeSandboxScript; connected?: boolean; quotaBytes?: number } = {},
) {
  const files = new Map<string, { bytes: Uint8Array; mtimeMs: number }>();
  const failures = new Map<keyof SandboxPort, SandboxErrorCode>();
  const runs: SandboxRunInput[] = [];
  let clock = 1_000;
  let state: SandboxStatus['state'] = 'absent';
  let connected = o.connected ?? true;
  const quotaBytes = o.quotaBytes ?? 512 * 1024 * 1024;

  const check = (method: keyof SandboxPort) => {
    if (!connected) throw new SandboxClientError('not-connected');
    const code = failures.get(method);
    if (code !== undefined) {
      failures.delete(method);
      throw new SandboxClientError(code);
    }
  };
  const write = (path: string, data: Uint8Array | string) => {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    clock += 1;
    files.set(path, { bytes, mtimeMs: clock });
  };

  const port: SandboxPort = {
    async run(input) {
      check('run');
      runs.push(input);
      state = 'running';
      const api: FakeRunApi = {
        emit: (stream, data) => input.onOutput?.(stream, data),
        write,
        read: (path) => files.get(path)?.bytes,
      };
      const result = (await o.script?.(input, api)) ?? {};
      if (input.signal?.aborted) throw new SandboxClientError('aborted');
      return {
        exitCode: 0,
        signal: null,
        timedOut: false,
        oomKilled: false,
        outputTruncated: false,
        quotaExceeded: false,
        durationMs: 12,
        ...result,
      };
    },
    async listFiles() {
      check('listFiles');
      return {
        files: [...files.entries()].map(([path, f]) => ({
          path,
          type: 'file' as const,
          size: f.bytes.length,
          mtimeMs: f.mtimeMs,
        })),
        truncated: false,
      };
    },
    async upload(path, bytes) {
      check('upload');
      if (path.split('/').includes('..') || path.startsWith('/')) {
        throw new SandboxClientError('bad-path');
      }
      write(path, bytes);
    },
    async download(path) {
      check('download');
      const f = files.get(path);
      if (!f) throw new SandboxClientError('not-found');
      return f.bytes;
    },
    async deleteFile(path) {
      check('deleteFile');
      if (!files.delete(path)) throw new SandboxClientError('not-found');
    },
    async status() {
      check('status');
      const used = [...files.values()].reduce((n, f) => n + f.bytes.length, 0);
      return { state, usedBytes: state === 'absent' ? null : used, quotaBytes };
    },
    async reset() {
      check('reset');
      files.clear();
      state = 'absent';
    },
    connected: async () => connected,
    async sandboxOn() {
      check('sandboxOn');
      return true;
    },
  };

  return {
    ...port,
    files,
    runs,
    /** Makes the next call of `method` throw `code`. */
    fail(method: keyof SandboxPort, code: SandboxErrorCode) {
      failures.set(method, code);
    },
    setConnected(on: boolean) {
      connected = on;
    },
    write,
  };
}

/** The fake's type. */
export type FakeSandbox = ReturnType<typeof createFakeSandbox>;
