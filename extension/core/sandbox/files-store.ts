/**
 * The Files panel's state: the workspace listing, upload, download and delete, each failure
 * in plain words. One action at a time; nothing here touches the platform (the UI turns
 * downloaded bytes into a blob: URL).
 */
import { sandboxErrorMessage, isSandboxError } from './errors';
import { createState, watchConnection } from './observable';
import type { ConnectionChanges, SandboxFileEntry, SandboxPort } from './ports';

/** What the Files panel renders. */
export interface SandboxFilesState {
  /** False when no relay is connected (the panel points to Options → Sync). */
  connected: boolean | undefined;
  loading: boolean;
  files: SandboxFileEntry[];
  truncated: boolean;
  /** The action in progress ('upload', or the path being downloaded/deleted). */
  busy: string | undefined;
  error: string | undefined;
  notice: string | undefined;
}

/** Largest upload name the panel sends (the relay checks paths strictly too). */
const MAX_NAME_BYTES = 255;

/** A file name chosen in the browser as a workspace path: its base name, checked. */
export function uploadPath(name: string): string | undefined {
  const base = name.split(/[\\/]/).pop()?.normalize('NFC') ?? '';
  // eslint-disable-next-line no-control-regex -- control characters (NUL, newlines, DEL) are exactly what this check refuses in a file name
  if (base === '' || base === '.' || base === '..' || /[\u0000-\u001f\u007f]/.test(base)) {
    return undefined;
  }
  return new TextEncoder().encode(base).length > MAX_NAME_BYTES ? undefined : base;
}

/** Creates the store; `changes` reports that the relay connection may have changed. */
export function createSandboxFilesStore(sandbox: SandboxPort, changes?: ConnectionChanges) {
  const s = createState<SandboxFilesState>({
    connected: undefined,
    loading: false,
    files: [],
    truncated: false,
    busy: undefined,
    error: undefined,
    notice: undefined,
  });

  const fail = (e: unknown) => {
    if (isSandboxError(e, 'not-connected')) s.update({ connected: false, files: [] });
    s.update({ error: sandboxErrorMessage(e), notice: undefined });
  };

  /** Reloads the listing; `keepError` leaves the last action's failure on screen. */
  async function refresh(keepError = false): Promise<void> {
    if (!(await sandbox.connected())) {
      s.update({ connected: false, files: [], error: undefined });
      return;
    }
    s.update({ connected: true, loading: true });
    try {
      const list = await sandbox.listFiles();
      const files = list.files
        .filter((f) => f.type === 'file')
        .sort((a, b) => a.path.localeCompare(b.path));
      s.update({ files, truncated: list.truncated, ...(keepError ? {} : { error: undefined }) });
    } catch (e) {
      fail(e);
    } finally {
      s.update({ loading: false });
    }
  }

  /** Runs one action at a time; a failure is shown, never thrown. */
  async function act<T>(busy: string, fn: () => Promise<T>): Promise<T | undefined> {
    if (s.getState().busy !== undefined) return undefined;
    s.update({ busy, error: undefined, notice: undefined });
    try {
      return await fn();
    } catch (e) {
      fail(e);
      return undefined;
    } finally {
      s.update({ busy: undefined });
    }
  }

  return {
    getState: s.getState,
    subscribe: s.subscribe,
    refresh: () => refresh(),
    /** Refreshes whenever this browser connects to or disconnects from a relay. */
    watch: () => watchConnection(sandbox, changes, s.getState, () => void refresh()),
    /** Uploads one file by its base name (an existing file of that name is replaced). */
    async upload(name: string, bytes: Uint8Array): Promise<boolean> {
      const path = uploadPath(name);
      if (path === undefined) {
        s.update({ error: 'That file name cannot be used in the sandbox. Rename the file.' });
        return false;
      }
      const ok = await act('upload', async () => {
        await sandbox.upload(path, bytes);
        return true;
      });
      if (ok) {
        s.update({ notice: `Uploaded ${path}.` });
        await refresh();
      }
      return ok === true;
    },
    /** The file's bytes (undefined when it failed; the error is shown). */
    download: (path: string) => act(path, () => sandbox.download(path)),
    async remove(path: string): Promise<void> {
      const ok = await act(path, async () => {
        await sandbox.deleteFile(path);
        return true;
      });
      if (ok) s.update({ notice: `Deleted ${path}.` });
      // Refresh either way (a file deleted elsewhere is gone), keeping a failure visible.
      await refresh(!ok);
    },
  };
}

/** The store's type. */
export type SandboxFilesStore = ReturnType<typeof createSandboxFilesStore>;
