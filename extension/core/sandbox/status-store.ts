/**
 * Options → Sandbox: whether a relay is connected, the sandbox state (off / stopped /
 * running / not created yet), workspace size against the quota, and reset.
 */
import { isSandboxError, sandboxErrorMessage } from './errors';
import { createState } from './observable';
import type { ConnectionChanges, SandboxPort, SandboxStatus } from './ports';
import { watchConnection } from './observable';

/** What Options → Sandbox renders. */
export interface SandboxStatusState {
  loading: boolean;
  connected: boolean | undefined;
  /** True when the relay runs no sandbox. */
  off: boolean;
  status: SandboxStatus | undefined;
  resetting: boolean;
  error: string | undefined;
  notice: string | undefined;
}

/** Bytes in plain units (KiB/MiB/GiB, binary). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** Creates the store; `changes` reports that the relay connection may have changed. */
export function createSandboxStatusStore(sandbox: SandboxPort, changes?: ConnectionChanges) {
  const s = createState<SandboxStatusState>({
    loading: false,
    connected: undefined,
    off: false,
    status: undefined,
    resetting: false,
    error: undefined,
    notice: undefined,
  });

  /** Reloads the state; `keepError` leaves a failed reset's message on screen. */
  async function refresh(keepError = false): Promise<void> {
    s.update({ loading: true });
    const clear = keepError ? {} : { error: undefined };
    try {
      if (!(await sandbox.connected())) {
        s.update({ connected: false, status: undefined, off: false, ...clear });
        return;
      }
      s.update({ connected: true });
      const status = await sandbox.status();
      s.update({ status, off: false, ...clear });
    } catch (e) {
      if (isSandboxError(e, 'sandbox-off')) {
        s.update({ off: true, status: undefined, ...clear });
      } else {
        s.update({ error: sandboxErrorMessage(e) });
      }
    } finally {
      s.update({ loading: false });
    }
  }

  return {
    getState: s.getState,
    subscribe: s.subscribe,
    refresh: () => refresh(),
    /** Refreshes whenever this browser connects to or disconnects from a relay. */
    watch: () => watchConnection(sandbox, changes, s.getState, () => void refresh()),
    /** Deletes the container and every workspace file (the UI confirms first). */
    async reset(): Promise<void> {
      if (s.getState().resetting) return;
      s.update({ resetting: true, error: undefined, notice: undefined });
      let ok = false;
      try {
        await sandbox.reset();
        ok = true;
        s.update({ notice: 'The sandbox was reset: its files are gone and it starts empty.' });
      } catch (e) {
        s.update({ error: sandboxErrorMessage(e) });
      } finally {
        s.update({ resetting: false });
      }
      await refresh(!ok);
    },
  };
}

/** The store's type. */
export type SandboxStatusStore = ReturnType<typeof createSandboxStatusStore>;
