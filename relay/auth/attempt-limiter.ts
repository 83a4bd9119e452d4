/**
 * Fixed-window attempt counter per key (in memory, per instance). Used for login attempts
 * per account id, known or not, so the limit itself does not reveal which ids exist.
 */
export interface AttemptLimiter {
  /** Counts an attempt; returns seconds to wait if over the limit, else 0. */
  hit(key: string, now: number): number;
}

/** `max` attempts per `windowMs` per key. Memory is bounded by pruning expired windows. */
export function createAttemptLimiter(max: number, windowMs: number): AttemptLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  let lastPrune = 0;
  return {
    hit(key, now) {
      if (now - lastPrune > windowMs) {
        for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
        lastPrune = now;
      }
      let w = windows.get(key);
      if (w === undefined || now - w.start >= windowMs) {
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      return w.count > max ? Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) : 0;
    },
  };
}
