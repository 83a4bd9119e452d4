import { useState, type FormEvent } from 'react';
import { syncErrorText } from '../../core/sync-bridge/errors';
import type { SyncService, SyncStatus } from '../../core/sync-bridge/sync-service';
import { useAsyncAction } from '../hooks/use-async-action';
import { DevicesList } from './devices-list';
import { timeAgo } from './use-sync-status';

type Props = { sync: SyncService; status: SyncStatus; refresh: () => Promise<void> };

/** Connected: status, sync now, devices, reconnect, disconnect, delete the relay account. */
export function SyncStatusView({ sync, status, refresh }: Props) {
  const [passphrase, setPassphrase] = useState('');
  const [result, setResult] = useState<string>();
  const action = useAsyncAction();

  const withPassphrase = (what: 'reconnect' | 'delete') => (e: FormEvent) => {
    e.preventDefault();
    setResult(undefined);
    if (
      what === 'delete' &&
      !window.confirm(
        'Delete the relay account and everything stored on the relay? ' +
          'The data in this browser stays.',
      )
    ) {
      return;
    }
    void action.run(async () => {
      try {
        if (what === 'reconnect') await sync.reconnect(passphrase);
        else await sync.deleteAccount(passphrase);
        setPassphrase('');
        setResult(what === 'reconnect' ? 'Signed in again.' : 'The relay account was deleted.');
      } catch (err) {
        setResult(syncErrorText(err));
      }
      await refresh();
    });
  };

  const disconnect = () => {
    if (!window.confirm('Stop syncing this browser? The data in this browser stays.')) return;
    void action.run(async () => {
      try {
        await sync.disconnect();
      } catch (err) {
        setResult(syncErrorText(err));
      }
      await refresh();
    });
  };

  const state = status.error
    ? 'error'
    : !status.signedIn
      ? 'signed-out'
      : status.pending > 0
        ? 'pending'
        : 'ok';
  return (
    <div className="stack">
      <dl className="stack small" data-testid="sync-status" data-state={state}>
        <div>
          <dt className="muted">Relay</dt>
          <dd data-testid="sync-relay">{status.relayUrl}</dd>
        </div>
        <div>
          <dt className="muted">Account ID (needed to link another browser)</dt>
          <dd className="mono" data-testid="sync-account-id">
            {status.accountId}
          </dd>
        </div>
        <div>
          <dt className="muted">Last synced</dt>
          <dd data-testid="sync-last-synced" data-at={status.lastSyncedAt ?? ''}>
            {timeAgo(status.lastSyncedAt)}
            {status.running ? '' : ' (sync runs while a Nook page is open and unlocked)'}
          </dd>
        </div>
        <div>
          <dt className="muted">Changes waiting for the relay</dt>
          <dd data-testid="sync-pending">{status.pending}</dd>
        </div>
      </dl>
      {status.error && (
        <p data-testid="sync-error" className="error" role="alert">
          {status.error}
        </p>
      )}
      <div className="row">
        <button
          data-testid="sync-now"
          type="button"
          className="primary"
          disabled={!status.signedIn}
          onClick={() => sync.syncNow()}
        >
          Sync now
        </button>
        <button data-testid="sync-disconnect" type="button" onClick={disconnect}>
          Disconnect this browser
        </button>
      </div>
      <label className="row">
        <input
          data-testid="sync-secrets"
          type="checkbox"
          checked={status.syncSecrets}
          onChange={(e) => {
            const on = e.target.checked;
            void sync.setSyncSecrets(on).then(refresh, (err: unknown) => {
              setResult(syncErrorText(err));
            });
          }}
        />
        <span>
          Also sync API keys (provider settings). Off by default: keys then stay in this browser.
        </span>
      </label>
      <DevicesList sync={sync} signedIn={status.signedIn} />
      <form className="stack" onSubmit={withPassphrase(status.signedIn ? 'delete' : 'reconnect')}>
        <h3>{status.signedIn ? 'Delete the relay account' : 'Sign in to the relay again'}</h3>
        <p className="muted small">
          {status.signedIn
            ? 'Removes everything the relay stores for you, on every device. Local data stays.'
            : 'The relay session ended (browser restart, revoked or expired). Enter your passphrase.'}
        </p>
        <label>
          Passphrase
          <input
            data-testid="sync-account-passphrase"
            type="password"
            autoComplete="current-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </label>
        <div className="row">
          <button
            data-testid={status.signedIn ? 'sync-delete-account' : 'sync-reconnect'}
            type="submit"
            className={status.signedIn ? 'danger' : 'primary'}
            disabled={action.busy}
          >
            {status.signedIn ? 'Delete relay account' : 'Sign in'}
          </button>
          {result && (
            <span data-testid="sync-action-result" role="status" className="muted">
              {result}
            </span>
          )}
        </div>
      </form>
    </div>
  );
}
