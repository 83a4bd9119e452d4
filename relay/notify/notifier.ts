/**
 * "This account's seq grew" fan-out. One instance: in-process listeners. Several instances
 * on PostgreSQL: pg-notifier.ts adds LISTEN/NOTIFY. Payloads carry ids and numbers only.
 */
export type SeqListener = (seq: number) => void;

export interface SeqNotifier {
  /** Announces a new seq for the account to every subscriber (on every instance). */
  publish(accountId: string, seq: number): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(accountId: string, listener: SeqListener): () => void;
  close(): Promise<void>;
}

/** In-process listeners keyed by account; the building block of both notifiers. */
export function createLocalFanout() {
  const listeners = new Map<string, Set<SeqListener>>();
  return {
    deliver(accountId: string, seq: number): void {
      for (const l of listeners.get(accountId) ?? []) {
        try {
          l(seq);
        } catch {
          // One broken socket must not stop the others from hearing about the change.
        }
      }
    },
    subscribe(accountId: string, listener: SeqListener): () => void {
      let set = listeners.get(accountId);
      if (set === undefined) {
        set = new Set();
        listeners.set(accountId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(accountId);
      };
    },
    size: () => listeners.size,
  };
}

/** The single-instance notifier (SQLite, or tests). */
export function createLocalNotifier(): SeqNotifier {
  const fanout = createLocalFanout();
  return {
    async publish(accountId, seq) {
      fanout.deliver(accountId, seq);
    },
    subscribe: fanout.subscribe,
    async close() {},
  };
}
