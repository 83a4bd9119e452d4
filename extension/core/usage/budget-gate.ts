/**
 * The composer's budget check. Before a message is sent it works out which provider will
 * answer, what that provider cost this month and what its budget is; at 80 % it shows a
 * warning, at 100 % it holds the message until the user presses "Send anyway" (which lets
 * exactly one message through). Platform-free; the page wires it in front of `chat.send`.
 */
import type { AppSettings, UsageTotal } from '../models';
import { budgetStatus, monthOfTime, monthSpend, type BudgetStatus } from './budget';
import { priceTable } from './prices';

export interface BudgetGateDeps {
  /** Every readable usage total; the page passes its cache (see usage-cache.ts). */
  usage: { totals(): Promise<readonly UsageTotal[]> };
  settings: () => Promise<AppSettings>;
  /** The provider the next message would go to, if any. */
  target: () => Promise<{ providerId: string; label: string } | undefined>;
  now?: () => number;
}

export interface BudgetGateState {
  /** The answering provider's standing; `none` when it has no budget. */
  status: BudgetStatus;
  providerLabel?: string;
  /** True after a send was held back at 100 %. */
  held: boolean;
  /** True while "Send anyway" is armed for the next message. */
  override: boolean;
}

/** Creates the gate; `admit()` says whether a message may go out now. */
export function createBudgetGate(deps: BudgetGateDeps) {
  const now = deps.now ?? Date.now;
  const listeners = new Set<(s: BudgetGateState) => void>();
  let state: BudgetGateState = { status: { level: 'none' }, held: false, override: false };
  const set = (patch: Partial<BudgetGateState>) => {
    state = { ...state, ...patch };
    for (const l of listeners) l(state);
  };

  async function evaluate(): Promise<BudgetGateState['status']> {
    const target = await deps.target();
    if (!target) {
      set({ status: { level: 'none' }, providerLabel: undefined });
      return state.status;
    }
    const settings = await deps.settings();
    const budget = settings.budgets?.[target.providerId];
    if (budget === undefined) {
      set({ status: { level: 'none' }, providerLabel: target.label });
      return state.status;
    }
    const month = monthOfTime(now());
    const totals = await deps.usage.totals();
    const spent = monthSpend(totals, target.providerId, month, priceTable(settings.prices));
    const status = budgetStatus(spent, budget);
    set({ status, providerLabel: target.label });
    return status;
  }

  return {
    getState: (): BudgetGateState => state,
    subscribe(listener: (s: BudgetGateState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Re-reads usage and budgets (on mount, after answers). Failures leave the state as is. */
    async refresh(): Promise<void> {
      await evaluate().catch(() => undefined);
    },
    /** Called before every send. An armed override is used up by this one message. */
    async admit(): Promise<boolean> {
      if (state.override) {
        set({ override: false, held: false });
        return true;
      }
      // If usage cannot be read the message still goes: a budget must not lock the user out.
      const status = await evaluate().catch((): BudgetStatus => ({ level: 'none' }));
      const held = status.level === 'block';
      set({ held });
      return !held;
    },
    /** "Send anyway": lets the next message through despite the budget. */
    allowOnce(): void {
      set({ override: true });
    },
  };
}

export type BudgetGate = ReturnType<typeof createBudgetGate>;
