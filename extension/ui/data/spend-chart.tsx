import { formatUsd } from '../../core/usage/budget';

/** Bars of estimated spend per day (plain SVG, no chart library). */
export function SpendChart({ series }: { series: { day: string; cost: number }[] }) {
  const max = Math.max(...series.map((s) => s.cost), 0);
  const w = 600;
  const h = 140;
  const barW = w / Math.max(series.length, 1);
  const total = series.reduce((sum, s) => sum + s.cost, 0);
  return (
    <figure className="stack">
      <svg
        className="spend-chart"
        data-testid="spend-chart"
        viewBox={`0 0 ${w} ${h + 16}`}
        role="img"
        aria-label={`Estimated spend over the last ${series.length} days: ${formatUsd(total)}`}
      >
        {series.map((s, i) => {
          const bh = max > 0 ? (s.cost / max) * h : 0;
          return (
            <rect key={s.day} x={i * barW + 1} y={h - bh} width={Math.max(barW - 2, 1)} height={bh}>
              <title>{`${s.day}: ${formatUsd(s.cost)}`}</title>
            </rect>
          );
        })}
        <text x={0} y={h + 12}>
          {series[0]?.day}
        </text>
        <text x={w} y={h + 12} textAnchor="end">
          {series.at(-1)?.day}
        </text>
      </svg>
      <figcaption className="muted">
        Estimated spend, last {series.length} days: {formatUsd(total)} (peak day {formatUsd(max)})
      </figcaption>
    </figure>
  );
}
