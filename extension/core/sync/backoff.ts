/** Exponential backoff with jitter for relay retries (so restarting relays are not stampeded). */

/** Backoff tuning. */
export interface BackoffOptions {
  /** First delay, ms. */
  baseMs?: number;
  /** Largest delay, ms. */
  maxMs?: number;
  /** Uniform [0, 1) source; injectable for tests. */
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (0-based): "equal jitter" — half of the capped
 * exponential step plus a random half — so delays grow but devices do not retry in lockstep.
 * A relay's Retry-After (seconds) is a floor.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  retryAfterSeconds?: number,
): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 60_000;
  const random = options.random ?? Math.random;
  const step = Math.min(max, base * 2 ** Math.min(attempt, 30));
  const jittered = step / 2 + random() * (step / 2);
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}
