import { describe, expect, it } from 'vitest';
import { createMemoryRepos } from '../../adapters/db/repos';
import { testVault } from '../tools/test-kit';
import type { AppSettings, UsageTotal } from '../models';
import { budgetStatus, formatUsd, monthSpend, parseBudget } from './budget';
import { createBudgetGate } from './budget-gate';
import { rowTokens } from '../records/row-stamp';
import { createUsageCache } from './usage-cache';
import { DEFAULT_PRICES, parsePrice, priceFor, priceTable } from './prices';
import { buildUsageReport, spendSeries } from './usage-report';

const total = (
  day: string,
  model: string,
  input: number,
  output: number,
  providerId = 'p1',
): UsageTotal => ({
  id: `${day}|${providerId}|${model}`,
  providerId,
  model,
  day,
  inputTokens: input,
  outputTokens: output,
  requests: 1,
});

describe('prices', () => {
  it('matches the longest prefix and ignores router prefixes', () => {
    const t = priceTable(undefined);
    expect(priceFor('gpt-4o-mini-2024-07-18', t)).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(priceFor('gpt-4o-2024-08-06', t)).toEqual(DEFAULT_PRICES['gpt-4o']);
    expect(priceFor('openai/gpt-4o', t)).toEqual(DEFAULT_PRICES['gpt-4o']);
    expect(priceFor('models/gemini-2.5-flash-lite', t)).toEqual(
      DEFAULT_PRICES['gemini-2.5-flash-lite'],
    );
    expect(priceFor('llama3.2', t)).toBeUndefined();
    expect(priceFor('llama3.2', priceTable({ llama3: { input: 0, output: 0 } }))).toBeUndefined();
    expect(priceFor('llama3.2', priceTable({ 'llama3.2': { input: 0, output: 0 } }))).toEqual({
      input: 0,
      output: 0,
    });
  });

  it('refuses a negative or missing price with the reason', () => {
    expect(parsePrice('gpt-4o', '-1', '2')).toEqual({
      ok: false,
      message: 'A price cannot be negative.',
    });
    expect(parsePrice('gpt-4o', '', '2')).toMatchObject({ ok: false });
    expect(parsePrice('', '1', '2')).toMatchObject({ ok: false });
    expect(parsePrice(' my-model ', '0.5', '1')).toEqual({
      ok: true,
      model: 'my-model',
      price: { input: 0.5, output: 1 },
    });
  });
});

describe('budgets', () => {
  it('refuses 0 and negative budgets with the reason; empty means none', () => {
    expect(parseBudget('0')).toMatchObject({
      ok: false,
      message: expect.stringContaining('more than $0'),
    });
    expect(parseBudget('-5')).toMatchObject({ ok: false });
    expect(parseBudget('abc')).toMatchObject({ ok: false });
    expect(parseBudget('')).toEqual({ ok: true, budget: undefined });
    expect(parseBudget('$20')).toEqual({ ok: true, budget: 20 });
  });

  it('warns at 80 % and blocks at 100 %', () => {
    expect(budgetStatus(7.99, 10).level).toBe('ok');
    expect(budgetStatus(8, 10).level).toBe('warn');
    expect(budgetStatus(10, 10).level).toBe('block');
    expect(budgetStatus(10, undefined).level).toBe('none');
  });

  it('counts only this provider and this month', () => {
    const t = priceTable(undefined);
    const totals = [
      total('2025-05-02', 'gpt-4o', 1_000_000, 0),
      total('2025-05-30', 'gpt-4o', 0, 1_000_000),
      total('2025-04-30', 'gpt-4o', 1_000_000, 0),
      total('2025-05-02', 'gpt-4o', 1_000_000, 0, 'other'),
    ];
    expect(monthSpend(totals, 'p1', '2025-05', t)).toBeCloseTo(12.5);
    expect(formatUsd(0.0012)).toBe('$0.0012');
  });
});

describe('usage report', () => {
  it('aggregates per provider/month, model/month and day, and flags unpriced models', () => {
    const r = buildUsageReport(
      [
        total('2025-05-01', 'gpt-4o', 2_000_000, 0),
        total('2025-05-02', 'llama3', 10, 10),
        total('2025-06-01', 'gpt-4o', 0, 100_000),
      ],
      priceTable(undefined),
    );
    expect(r.byProviderMonth.map((x) => [x.period, x.cost, x.priced])).toEqual([
      ['2025-06', 1, true],
      ['2025-05', 5, false],
    ]);
    expect(r.byModelMonth).toHaveLength(3);
    expect(r.byDay[0]?.period).toBe('2025-06-01');
    expect(r.totalCost).toBeCloseTo(6);
    const series = spendSeries(r.dailySpend, Date.parse('2025-06-01T12:00:00Z'), 3);
    expect(series).toEqual([
      { day: '2025-05-30', cost: 0 },
      { day: '2025-05-31', cost: 0 },
      { day: '2025-06-01', cost: 1 },
    ]);
  });
});

describe('budget gate', () => {
  it('holds a send at 100 %, lets exactly one through after "Send anyway"', async () => {
    const vault = await testVault();
    const { repos, table } = createMemoryRepos(() => vault);
    const settings: AppSettings = { autoLockMinutes: 15, budgets: { p1: 1 } };
    const gate = createBudgetGate({
      usage: createUsageCache({
        repo: repos.usage,
        rowTokens: async () => rowTokens([...table('usage').rows.values()]),
        keys: () => vault,
      }),
      settings: async () => settings,
      target: async () => ({ providerId: 'p1', label: 'OpenAI' }),
      now: () => Date.parse('2025-05-20T00:00:00Z'),
    });
    expect(await gate.admit()).toBe(true);
    await repos.usage.put('a', total('2025-05-03', 'gpt-4o', 0, 85_000)); // $0.85
    expect(await gate.admit()).toBe(true);
    expect(gate.getState().status.level).toBe('warn');
    await repos.usage.put('b', total('2025-05-04', 'gpt-4o', 0, 20_000)); // $1.05
    expect(await gate.admit()).toBe(false);
    expect(gate.getState()).toMatchObject({ held: true, providerLabel: 'OpenAI' });
    gate.allowOnce();
    expect(await gate.admit()).toBe(true);
    expect(await gate.admit()).toBe(false);
  });
});
