import { accountHash, sandboxName } from './container-spec';
import { SandboxError } from './errors';
import type { SupervisorConnection } from './supervisor-client';

/** The runner's in-memory view of one account's sandbox (keyed by the account hash). */
export interface Box {
  hash: string;
  /** Container and volume name. */
  name: string;
  conn?: SupervisorConnection;
  lastUsed: number;
  /** Last measured workspace usage, or null when unknown. */
  usedBytes: number | null;
  activeRuns: number;
  lock: Promise<unknown>;
}

/**
 * Boxes by account hash, plus a per-box lock so lifecycle steps (create, start, stop,
 * remove) of one sandbox never interleave. Account ids are validated and hashed here.
 */
export function createBoxRegistry(options: { instance: string; key: string }) {
  const boxes = new Map<string, Box>();

  function byHash(hash: string): Box {
    let b = boxes.get(hash);
    if (!b) {
      b = {
        hash,
        name: sandboxName(options.instance, hash),
        lastUsed: Date.now(),
        usedBytes: null,
        activeRuns: 0,
        lock: Promise.resolve(),
      };
      boxes.set(hash, b);
    }
    return b;
  }

  return {
    forAccount(account: string): Box {
      if (typeof account !== 'string' || account.length === 0 || account.length > 256) {
        throw new SandboxError('bad-request', 'Invalid account id.');
      }
      return byHash(accountHash(account, options.key));
    },
    byHash,
    all: (): Box[] => [...boxes.values()],
    delete: (hash: string): boolean => boxes.delete(hash),
    /** Runs `fn` after every earlier locked step of this box has settled. */
    locked<T>(b: Box, fn: () => Promise<T>): Promise<T> {
      const p = b.lock.then(fn, fn);
      b.lock = p.catch(() => undefined);
      return p;
    },
  };
}
