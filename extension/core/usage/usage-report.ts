/**
 * Options → Usage: tokens and estimated cost per provider, model, day and month, from the
 * per-day totals the chat records for every answer (`usage` collection). Platform-free.
 */
import type { UsageTotal } from '../models';
import { costOf, priceFor, type ModelPrice } from './prices';

/** One aggregated row. `priced` is false when some tokens had no known price. */
export interface UsageRow {
  key: string;
  providerId: string;
  model?: string;
  period: string;
  inputTokens: number;
  outputTokens: number;
  requests: number;
  cost: number;
  priced: boolean;
}

export interface UsageReport {
  /** Per provider and UTC month, newest month first. */
  byProviderMonth: UsageRow[];
  /** Per provider, model and UTC month, newest first. */
  byModelMonth: UsageRow[];
  /** Per provider, model and UTC day, newest first. */
  byDay: UsageRow[];
  /** Spend per day over the whole history (oldest first), for the chart. */
  dailySpend: { day: string; cost: number }[];
  totalCost: number;
}

function add(
  map: Map<string, UsageRow>,
  key: string,
  base: Omit<UsageRow, 'inputTokens' | 'outputTokens' | 'requests' | 'cost' | 'priced' | 'key'>,
  t: UsageTotal,
  cost: number | undefined,
) {
  const row = map.get(key) ?? {
    key,
    ...base,
    inputTokens: 0,
    outputTokens: 0,
    requests: 0,
    cost: 0,
    priced: true,
  };
  row.inputTokens += t.inputTokens;
  row.outputTokens += t.outputTokens;
  row.requests += t.requests;
  if (cost === undefined) row.priced = false;
  else row.cost += cost;
  map.set(key, row);
}

const newestFirst = (a: UsageRow, b: UsageRow) =>
  b.period.localeCompare(a.period) ||
  a.providerId.localeCompare(b.providerId) ||
  (a.model ?? '').localeCompare(b.model ?? '');

/** Builds every view of the usage page from the stored totals. */
export function buildUsageReport(
  totals: readonly UsageTotal[],
  prices: Map<string, ModelPrice>,
): UsageReport {
  const providerMonth = new Map<string, UsageRow>();
  const modelMonth = new Map<string, UsageRow>();
  const day = new Map<string, UsageRow>();
  const daily = new Map<string, number>();
  let totalCost = 0;
  for (const t of totals) {
    const price = priceFor(t.model, prices);
    const cost = price ? costOf(t, price) : undefined;
    const month = t.day.slice(0, 7);
    add(
      providerMonth,
      `${month}|${t.providerId}`,
      { providerId: t.providerId, period: month },
      t,
      cost,
    );
    add(
      modelMonth,
      `${month}|${t.providerId}|${t.model}`,
      { providerId: t.providerId, model: t.model, period: month },
      t,
      cost,
    );
    add(
      day,
      `${t.day}|${t.providerId}|${t.model}`,
      { providerId: t.providerId, model: t.model, period: t.day },
      t,
      cost,
    );
    daily.set(t.day, (daily.get(t.day) ?? 0) + (cost ?? 0));
    totalCost += cost ?? 0;
  }
  return {
    byProviderMonth: [...providerMonth.values()].sort(newestFirst),
    byModelMonth: [...modelMonth.values()].sort(newestFirst),
    byDay: [...day.values()].sort(newestFirst),
    dailySpend: [...daily.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([d, cost]) => ({ day: d, cost })),
    totalCost,
  };
}

/** The last `days` UTC days ending at `now`, zero-filled, for a continuous chart. */
export function spendSeries(
  dailySpend: readonly { day: string; cost: number }[],
  now: number,
  days = 30,
): { day: string; cost: number }[] {
  const byDay = new Map(dailySpend.map((d) => [d.day, d.cost]));
  const out: { day: string; cost: number }[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(now - i * 86_400_000).toISOString().slice(0, 10);
    out.push({ day: d, cost: byDay.get(d) ?? 0 });
  }
  return out;
}
