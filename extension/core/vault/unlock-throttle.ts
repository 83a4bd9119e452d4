/**
 * Growing delay between passphrase attempts. The first three mistakes cost nothing
 * (typos happen); then 1 s, 2 s, 4 s … capped at 30 s. Argon2id already makes each
 * guess expensive; this stops a walk-up attacker from hammering the screen.
 */

const FREE_ATTEMPTS = 3;
const MAX_DELAY_MS = 30_000;

/** Milliseconds to wait after `failures` consecutive wrong passphrases. */
export function unlockDelayMs(failures: number): number {
  if (failures <= FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS - 1));
}

/** Epoch ms before which the next attempt is refused, or 0 when none is pending. */
export function nextAttemptAt(throttle: { failures: number; lastFailureAt: number }): number {
  const delay = unlockDelayMs(throttle.failures);
  return delay === 0 ? 0 : throttle.lastFailureAt + delay;
}
