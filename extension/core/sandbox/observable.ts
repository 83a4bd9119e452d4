import type { ConnectionChanges, SandboxPort } from './ports';

/** A tiny observable state holder for the sandbox stores (the UI reads it with useStore). */
export function createState<S>(initial: S) {
  let state = initial;
  const listeners = new Set<(s: S) => void>();
  return {
    getState: (): S => state,
    subscribe(listener: (s: S) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update(patch: Partial<S>): void {
      state = { ...state, ...patch };
      for (const l of listeners) l(state);
    },
  };
}

/**
 * Calls `refresh` when the connection state differs from the one shown. Sync status changes
 * often (every pass); only a real connect/disconnect costs a sandbox request.
 */
export function watchConnection(
  sandbox: SandboxPort,
  changes: ConnectionChanges | undefined,
  shown: () => { connected: boolean | undefined },
  refresh: () => void,
): () => void {
  if (!changes) return () => undefined;
  return changes(() => {
    void sandbox.connected().then(
      (now) => now !== shown().connected && refresh(),
      () => undefined,
    );
  });
}
