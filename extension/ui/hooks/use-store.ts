import { useSyncExternalStore } from 'react';

/** Anything with `subscribe` + `getState` (the vault service, the chat controller). */
export interface Observable<S> {
  subscribe(listener: (s: S) => void): () => void;
  getState(): S;
}

/** Renders from a core store; the store keeps the logic, the hook only subscribes. */
export function useStore<S>(store: Observable<S>): S {
  return useSyncExternalStore(
    (onChange) => store.subscribe(onChange),
    () => store.getState(),
  );
}
