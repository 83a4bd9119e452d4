import { useCallback, useEffect, useState } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import type { AppSettings, UsageTotal } from '../../core/models';
import { loadSettings, saveSettings } from '../../core/settings/settings';
import { formatUsd, monthOfTime, monthSpend } from '../../core/usage/budget';
import { priceTable, type ModelPrice } from '../../core/usage/prices';
import { buildUsageReport, spendSeries, type UsageRow } from '../../core/usage/usage-report';
import { BudgetEditor } from '../data/budget-editor';
import '../data/data.css';
import { PriceEditor } from '../data/price-editor';
import { SpendChart } from '../data/spend-chart';
import { useStore } from '../hooks/use-store';
import { OptionsSection } from './options-section';

function UsageTable({ rows, testId, first }: { rows: UsageRow[]; testId: string; first: string }) {
  if (rows.length === 0) return <p className="muted">No usage recorded yet.</p>;
  return (
    <table className="data-table" data-testid={testId}>
      <thead>
        <tr>
          <th>{first}</th>
          <th>Provider / model</th>
          <th className="num">Input tokens</th>
          <th className="num">Output tokens</th>
          <th className="num">Est. cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.period}</td>
            <td>{r.model ? `${r.providerId} / ${r.model}` : r.providerId}</td>
            <td className="num">{r.inputTokens.toLocaleString()}</td>
            <td className="num">{r.outputTokens.toLocaleString()}</td>
            <td className="num">
              {formatUsd(r.cost)}
              {!r.priced && <span title="Some models have no price; add one below."> *</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Options → Usage: tokens and estimated cost, spend chart, prices and monthly budgets. */
export function UsageSection({ services }: { services: PageServices }) {
  const { repos } = services;
  const providers = useStore(services.providers).providers;
  const [totals, setTotals] = useState<UsageTotal[]>([]);
  const [settings, setSettings] = useState<AppSettings>();

  const reload = useCallback(async () => {
    const [rows, s] = await Promise.all([repos.usage.list(), loadSettings(repos.settings)]);
    setTotals(rows.flatMap((r) => (r.ok ? [r.value] : [])));
    setSettings(s.settings);
  }, [repos]);
  useEffect(() => {
    void reload().catch(() => undefined);
  }, [reload]);

  const update = async (patch: Partial<AppSettings>) => {
    const { settings: current } = await loadSettings(repos.settings);
    await saveSettings(repos.settings, { ...current, ...patch });
    await reload();
    await services.chat.budget.refresh();
  };
  const savePrices = (prices: Record<string, ModelPrice>) => update({ prices });
  const saveBudget = async (providerId: string, budget: number | undefined) => {
    const budgets = { ...(settings?.budgets ?? {}) };
    if (budget === undefined) delete budgets[providerId];
    else budgets[providerId] = budget;
    await update({ budgets });
  };

  if (!settings) return null;
  const prices = priceTable(settings.prices);
  const labelOf = new Map(providers.flatMap((p) => (p.ok ? [[p.id, p.value.label]] : [])));
  const report = buildUsageReport(totals, prices);
  const named = (rows: UsageRow[]) =>
    rows.map((r) => ({ ...r, providerId: labelOf.get(r.providerId) ?? r.providerId }));
  const month = monthOfTime(Date.now());

  return (
    <OptionsSection id="usage" title="Usage and cost" testId="usage-section">
      <p className="muted">
        Estimated from the tokens each provider reported and the prices below; your provider&apos;s
        bill is what counts. Total so far: {formatUsd(report.totalCost)}.
      </p>
      <SpendChart series={spendSeries(report.dailySpend, Date.now(), 30)} />
      <h3>Monthly budgets</h3>
      <p className="muted">
        At 80 % Nook warns in the side panel; at 100 % it holds each message until you press “Send
        anyway”.
      </p>
      {providers.flatMap((p) =>
        p.ok
          ? [
              <BudgetEditor
                key={p.id}
                providerId={p.id}
                label={p.value.label}
                budget={settings.budgets?.[p.id]}
                spent={monthSpend(totals, p.id, month, prices)}
                onSave={saveBudget}
              />,
            ]
          : [],
      )}
      <h3>By month</h3>
      <UsageTable rows={named(report.byProviderMonth)} testId="usage-by-month" first="Month" />
      <h3>By model and month</h3>
      <UsageTable rows={named(report.byModelMonth)} testId="usage-by-model" first="Month" />
      <h3>By day</h3>
      <UsageTable rows={named(report.byDay.slice(0, 62))} testId="usage-by-day" first="Day" />
      <PriceEditor settings={settings} onSave={savePrices} />
    </OptionsSection>
  );
}
