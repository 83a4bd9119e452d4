/**
 * The text of the answer being streamed, kept apart from the chat state so each delta
 * re-renders only the streaming message, not the whole list.
 */

/** The answer in flight. */
export interface StreamView {
  messageId: string;
  text: string;
  reasoning: string;
}

/** A tiny observable holding the answer in flight (or undefined). */
export function createStreamStore() {
  const listeners = new Set<(s: StreamView | undefined) => void>();
  let state: StreamView | undefined;
  return {
    getState: (): StreamView | undefined => state,
    subscribe(listener: (s: StreamView | undefined) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: StreamView | undefined): void {
      state = next;
      for (const l of listeners) l(state);
    },
  };
}

export type StreamStore = ReturnType<typeof createStreamStore>;
