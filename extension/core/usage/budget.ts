/**
 * Monthly budgets per provider: warn at 80 %, block a send at 100 % unless the user
 * overrides it for that one message. Months are UTC calendar months, like the usage days.
 */
import type { UsageTotal } from '../models';
import { costOf, priceFor, type ModelPrice } from './prices';

export const BUDGET_WARN_RATIO = 0.8;

/** `YYYY-MM` of a timestamp (UTC). */
export const monthOfTime = (at: number): string => new Date(at).toISOString().slice(0, 7);

/** Estimated dollars spent with one provider in one month. */
export function monthSpend(
  totals: readonly UsageTotal[],
  providerId: string,
  month: string,
  prices: Map<string, ModelPrice>,
): number {
  let spent = 0;
  for (const t of totals) {
    if (t.providerId !== providerId || !t.day.startsWith(month)) continue;
    const price = priceFor(t.model, prices);
    if (price) spent += costOf(t, price);
  }
  return spent;
}

/** Where a provider stands against its budget. */
export type BudgetStatus =
  | { level: 'none' }
  | { level: 'ok' | 'warn' | 'block'; spent: number; budget: number; ratio: number };

export function budgetStatus(spent: number, budget: number | undefined): BudgetStatus {
  if (budget === undefined || !(budget > 0)) return { level: 'none' };
  const ratio = spent / budget;
  const level = ratio >= 1 ? 'block' : ratio >= BUDGET_WARN_RATIO ? 'warn' : 'ok';
  return { level, spent, budget, ratio };
}

/** Checks the budget field; empty means "no budget". Zero and negative are refused. */
export function parseBudget(
  input: string,
): { ok: true; budget: number | undefined } | { ok: false; message: string } {
  const text = input.trim().replace(/^\$/, '');
  if (text === '') return { ok: true, budget: undefined };
  const n = Number(text);
  if (!Number.isFinite(n))
    return { ok: false, message: 'Enter the budget in US dollars, e.g. 20.' };
  if (n <= 0) {
    return {
      ok: false,
      message: 'A budget must be more than $0. Leave the field empty for no budget.',
    };
  }
  if (n > 1_000_000) return { ok: false, message: 'That budget is above $1,000,000; check it.' };
  return { ok: true, budget: Math.round(n * 100) / 100 };
}

/** "$1.23", with more digits for tiny amounts so a few tokens do not show as $0.00. */
export function formatUsd(n: number): string {
  if (n > 0 && n < 0.01) return `$${n.toFixed(4)}`;
  return `$${n.toFixed(2)}`;
}
