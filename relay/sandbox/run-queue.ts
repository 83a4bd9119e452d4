import { SandboxBusyError, SandboxError } from './errors';

/** Releases a slot taken with `acquire`. Idempotent. */
export type Release = () => void;

/**
 * Admission control for runs: one active run per account, `queueLength` waiting behind it
 * (then `SandboxBusyError`), and at most `maxConcurrent` active runs across accounts.
 * Waiters are served first come, first served.
 */
export function createRunQueue(options: { queueLength: number; maxConcurrent: number }) {
  const perAccount = new Map<string, { active: boolean; waiting: Array<() => void> }>();
  const globalWaiting: Array<() => void> = [];
  let running = 0;
  let closed = false;

  function takeGlobal(): Promise<void> {
    if (running < options.maxConcurrent) {
      running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => globalWaiting.push(resolve));
  }

  function releaseGlobal(): void {
    const next = globalWaiting.shift();
    if (next) next();
    else running--;
  }

  function releaseAccount(key: string): void {
    const slot = perAccount.get(key);
    if (!slot) return;
    const next = slot.waiting.shift();
    if (next) next();
    else perAccount.delete(key);
  }

  return {
    /** Waits for the account's turn and a global slot; throws when the queue is full. */
    async acquire(key: string): Promise<Release> {
      if (closed) throw new SandboxError('closed', 'The sandbox runner is closed.');
      let slot = perAccount.get(key);
      if (!slot) {
        slot = { active: true, waiting: [] };
        perAccount.set(key, slot);
      } else if (slot.waiting.length >= options.queueLength) {
        throw new SandboxBusyError();
      } else {
        const s = slot;
        await new Promise<void>((resolve) => s.waiting.push(resolve));
      }
      await takeGlobal();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        releaseGlobal();
        releaseAccount(key);
      };
    },
    /** Runs active now (for status and tests). */
    active(): number {
      return running;
    },
    /** Refuses new work; runs already admitted finish. */
    close(): void {
      closed = true;
    },
  };
}

/** The admission controller's type. */
export type RunQueue = ReturnType<typeof createRunQueue>;
