import { useEffect } from 'react';
import { formatUsd } from '../../core/usage/budget';
import type { BudgetGate } from '../../core/usage/budget-gate';
import { useStore } from '../hooks/use-store';
import './data.css';

/**
 * Above the message box: a warning from 80 % of the answering provider's monthly budget,
 * and at 100 % the held message with "Send anyway" (this message only).
 */
export function BudgetNotice({
  gate,
  onSendAnyway,
}: {
  gate: BudgetGate;
  onSendAnyway: () => void;
}) {
  const state = useStore(gate);
  useEffect(() => {
    void gate.refresh();
  }, [gate]);
  const s = state.status;
  if (s.level === 'none' || s.level === 'ok') return null;
  const who = state.providerLabel || 'this provider';
  const amounts = `${formatUsd(s.spent)} of ${formatUsd(s.budget)}`;
  if (state.held) {
    return (
      <div
        className="notice budget-notice budget-blocked"
        role="alert"
        data-testid="budget-blocked"
      >
        Monthly budget for {who} reached ({amounts}). Your message was not sent.{' '}
        <button type="button" data-testid="budget-override" onClick={onSendAnyway}>
          Send anyway
        </button>{' '}
        (this message only), or raise the budget in Options → Usage.
      </div>
    );
  }
  return (
    <div className="notice budget-notice budget-warning" role="status" data-testid="budget-warning">
      {s.level === 'block'
        ? `Monthly budget for ${who} reached (${amounts}); sending asks first.`
        : `You have used ${Math.floor(s.ratio * 100)}% of the monthly budget for ${who} (${amounts}).`}
    </div>
  );
}
