/**
 * The decrypted usage totals of one unlocked page, kept so the budget check before each
 * send does not decrypt every total again. Each call reads a cheap token per stored row
 * (revision, deleted flag, envelope tag; no decryption) and decrypts only rows that are
 * new or changed since the last read, here or in another page. Forgotten on lock.
 * Platform-free: the token reader and the "which keys are open" probe are injected.
 */
import type { UsageTotal } from '../models';
import { createKeyEpoch } from '../records/key-epoch';
import type { RecordRepo, RecordResult } from '../records/record-repo-port';

import type { RowTokens } from '../records/row-stamp';

export interface UsageCacheDeps {
  repo: RecordRepo<UsageTotal>;
  /** Reads every row's token without decrypting anything. */
  rowTokens: () => Promise<RowTokens>;
  /**
   * The keys the page holds now, or undefined once locked. A different answer than at the
   * last read (locked, or unlocked again) drops everything held.
   */
  keys: () => object | undefined;
}

function sameTokens(a: RowTokens, b: RowTokens): boolean {
  if (a.size !== b.size) return false;
  for (const [id, token] of a) if (b.get(id) !== token) return false;
  return true;
}

/** Creates the cache; `totals()` before each budget check, `reset()` on lock. */
export function createUsageCache(deps: UsageCacheDeps) {
  /** What the last complete read saw: each row's token and its decrypted result. */
  let held: Map<string, { token: string; result: RecordResult<UsageTotal> }> = new Map();
  let heldTokens: RowTokens | undefined;
  let totals: readonly UsageTotal[] = [];
  const guard = createKeyEpoch(deps.keys, () => {
    held = new Map();
    heldTokens = undefined;
    totals = [];
  });

  return {
    /**
     * Every readable usage total (damaged ones are left out, as before). Decrypts only rows
     * whose token changed; with nothing changed it decrypts nothing at all.
     */
    async totals(): Promise<readonly UsageTotal[]> {
      for (;;) {
        guard.check();
        const start = guard.epoch();
        // Tokens first: a write landing between the two reads makes the next call re-read it.
        const tokens = await deps.rowTokens().catch(() => undefined);
        guard.check();
        if (guard.epoch() !== start) continue; // locked and unlocked again meanwhile: start over
        if (tokens && heldTokens && sameTokens(tokens, heldTokens)) return totals;
        // Reuse only rows whose token (not just revision) is unchanged.
        const known = new Map<string, RecordResult<UsageTotal>>();
        for (const [id, h] of held) if (tokens?.get(id) === h.token) known.set(id, h.result);
        const results = await deps.repo.list({ kind: 'all' }, known);
        guard.check();
        if (guard.epoch() !== start) continue;
        // Without tokens nothing can be checked later: the next call reads everything again.
        held = new Map();
        for (const r of results) {
          const token = tokens?.get(r.id);
          if (token !== undefined) held.set(r.id, { token, result: r });
        }
        heldTokens = tokens;
        totals = results.flatMap((r) => (r.ok ? [r.value] : []));
        return totals;
      }
    },

    /** Forgets every decrypted total (on lock). */
    reset: guard.reset,
  };
}

export type UsageCache = ReturnType<typeof createUsageCache>;
