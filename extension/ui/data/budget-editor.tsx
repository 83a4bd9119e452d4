import { useState } from 'react';
import { formatUsd, parseBudget } from '../../core/usage/budget';

/** One provider's monthly budget field (empty = none; 0 and negative are refused). */
export function BudgetEditor({
  providerId,
  label,
  budget,
  spent,
  onSave,
}: {
  providerId: string;
  label: string;
  budget: number | undefined;
  spent: number;
  onSave: (providerId: string, budget: number | undefined) => Promise<void>;
}) {
  const [value, setValue] = useState(budget === undefined ? '' : String(budget));
  const [status, setStatus] = useState<string>();
  const save = async () => {
    const parsed = parseBudget(value);
    if (!parsed.ok) return setStatus(parsed.message);
    await onSave(providerId, parsed.budget);
    setStatus(
      parsed.budget === undefined ? 'No budget.' : `Saved: ${formatUsd(parsed.budget)} a month.`,
    );
  };
  return (
    <div className="row" data-testid="budget-row" data-provider={providerId}>
      <span className="grow">
        {label} <span className="muted">— this month {formatUsd(spent)}</span>
      </span>
      <input
        data-testid="budget-input"
        aria-label={`Monthly budget for ${label} in US dollars`}
        placeholder="no budget"
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="button" data-testid="budget-save" onClick={() => void save()}>
        Save
      </button>
      {status && (
        <span className="muted" role="status" data-testid="budget-status">
          {status}
        </span>
      )}
    </div>
  );
}
