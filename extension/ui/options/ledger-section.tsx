import { useCallback, useEffect, useState } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import { ledgerToCsv, ledgerToJson, type LedgerFilter } from '../../core/ledger/ledger-store';
import { LEDGER_PURPOSE, type LedgerEntry, type LedgerPurpose } from '../../core/ledger/types';
import { loadSettings, saveSettings } from '../../core/settings/settings';
import { InlineInput } from '../form-fields';
import { OptionsSection } from './options-section';

const PURPOSE_TEXT: Record<LedgerPurpose, string> = {
  chat: 'Chat',
  'model-list': 'Model list',
  'connection-test': 'Connection test',
  relay: 'Relay / sync',
  sandbox: 'Sandbox',
  other: 'Other',
};

/** The opt-in redactions, in the order shown. */
const PII_OPT_INS = [
  ['email', 'E-mail addresses'],
  ['phone', 'Phone numbers'],
] as const;

function download(name: string, type: string, body: string) {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** What the Status column says: the HTTP status, the failure, or where a WebSocket stands. */
function statusText(e: LedgerEntry): string {
  if (e.failure) return e.failure;
  if (e.kind === 'websocket') return e.ongoing ? 'open' : 'closed';
  return e.status === undefined ? '' : String(e.status);
}

const dayStart = (d: string) => (d ? new Date(`${d}T00:00:00`).getTime() : undefined);
const dayEnd = (d: string) => (d ? new Date(`${d}T23:59:59.999`).getTime() : undefined);

/**
 * Options → Ledger & privacy: every request that left the browser (encrypted at rest),
 * with filters and JSON/CSV export, and the opt-in redaction of e-mail and phone numbers.
 */
export function LedgerSection({ services }: { services: Pick<PageServices, 'ledger' | 'repos'> }) {
  const [entries, setEntries] = useState<LedgerEntry[]>();
  const [host, setHost] = useState('');
  const [purpose, setPurpose] = useState<LedgerPurpose | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [redactedOnly, setRedactedOnly] = useState(false);
  const [status, setStatus] = useState<string>();
  const [pii, setPii] = useState({ email: false, phone: false });

  const filter: LedgerFilter = {
    ...(host ? { host } : {}),
    ...(purpose ? { purpose } : {}),
    ...(from ? { from: dayStart(from) } : {}),
    ...(to ? { to: dayEnd(to) } : {}),
    ...(redactedOnly ? { redactedOnly } : {}),
  };
  const key = JSON.stringify(filter);
  const reload = useCallback(() => {
    services.ledger.list(JSON.parse(key) as LedgerFilter).then(setEntries, () => {
      setStatus('The ledger could not be read.');
    });
  }, [services.ledger, key]);
  useEffect(() => {
    reload();
    return services.ledger.subscribe(reload);
  }, [reload, services.ledger]);
  useEffect(() => {
    void loadSettings(services.repos.settings).then(({ settings }) =>
      setPii({ email: settings.redactEmail === true, phone: settings.redactPhone === true }),
    );
  }, [services.repos.settings]);

  const setOptIn = async (which: 'email' | 'phone', on: boolean) => {
    const { settings } = await loadSettings(services.repos.settings);
    const next = { ...settings, [which === 'email' ? 'redactEmail' : 'redactPhone']: on };
    try {
      await saveSettings(services.repos.settings, next);
      setPii((p) => ({ ...p, [which]: on }));
    } catch {
      setStatus('The setting could not be saved.');
    }
  };

  const total = (entries ?? []).reduce(
    (s, e) => ({ sent: s.sent + e.bytesSent, received: s.received + e.bytesReceived }),
    { sent: 0, received: 0 },
  );

  return (
    <OptionsSection id="ledger" title="Ledger & privacy" testId="ledger-section">
      <p className="small muted">
        Every request Nook makes is listed here (kept encrypted), WebSocket connections included:
        one line when a connection ends, and one every 10 minutes while it stays open. Nook sends no
        telemetry: nothing goes anywhere except the providers and relay you set up.
      </p>
      <fieldset className="row">
        <legend>Also redact before sending</legend>
        {PII_OPT_INS.map(([which, label]) => (
          <label key={which}>
            <input
              data-testid={`redact-${which}`}
              type="checkbox"
              checked={pii[which]}
              onChange={(e) => void setOptIn(which, e.target.checked)}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <div className="row" role="group" aria-label="Filters">
        <InlineInput
          label="Host"
          testId="ledger-host"
          placeholder="Host"
          value={host}
          onChange={setHost}
        />
        <select
          data-testid="ledger-purpose"
          aria-label="Purpose"
          value={purpose}
          onChange={(e) => setPurpose(e.target.value as LedgerPurpose | '')}
        >
          <option value="">All purposes</option>
          {Object.values(LEDGER_PURPOSE).map((p) => (
            <option key={p} value={p}>
              {PURPOSE_TEXT[p]}
            </option>
          ))}
        </select>
        <input
          aria-label="From"
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
        <input aria-label="To" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        <label className="small">
          <input
            type="checkbox"
            checked={redactedOnly}
            onChange={(e) => setRedactedOnly(e.target.checked)}
          />{' '}
          With redactions
        </label>
      </div>
      <div className="row">
        <span data-testid="ledger-count" className="grow small">
          {entries === undefined
            ? 'Loading…'
            : `${entries.length} requests · ${total.sent} bytes sent · ${total.received} bytes received`}
        </span>
        <button
          data-testid="ledger-export-json"
          type="button"
          disabled={!entries?.length}
          onClick={() =>
            download('nook-ledger.json', 'application/json', ledgerToJson(entries ?? []))
          }
        >
          Export JSON
        </button>
        <button
          data-testid="ledger-export-csv"
          type="button"
          disabled={!entries?.length}
          onClick={() => download('nook-ledger.csv', 'text/csv', ledgerToCsv(entries ?? []))}
        >
          Export CSV
        </button>
        <button
          data-testid="ledger-clear"
          type="button"
          className="danger"
          disabled={!entries?.length}
          onClick={() => void services.ledger.clear()}
        >
          Clear
        </button>
      </div>
      <div className="ledger-table">
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Host</th>
              <th>Purpose</th>
              <th>Sent</th>
              <th>Received</th>
              <th>Redacted</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {(entries ?? []).slice(0, 500).map((e) => (
              <tr
                key={e.id}
                data-testid="ledger-row"
                data-host={e.host}
                data-purpose={e.purpose}
                data-kind={e.kind ?? 'fetch'}
              >
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.host}</td>
                <td>
                  {PURPOSE_TEXT[e.purpose]}
                  {e.kind === 'websocket' && (
                    <span
                      className="small muted"
                      title={`WebSocket, ${Math.round((e.durationMs ?? 0) / 1000)} s${e.ongoing ? ' (still open)' : ''}`}
                    >
                      {' '}
                      · WebSocket
                    </span>
                  )}
                </td>
                <td>{e.bytesSent}</td>
                <td>{e.bytesReceived}</td>
                <td>{(e.redactions ?? []).map((r) => `${r.count} ${r.kind}`).join(', ')}</td>
                <td>{statusText(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {status && (
        <p role="alert" className="error">
          {status}
        </p>
      )}
    </OptionsSection>
  );
}
