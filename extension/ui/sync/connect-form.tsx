import { useState, type FormEvent } from 'react';
import type { HostAccess } from '../../core/chat/host-access';
import { syncErrorText } from '../../core/sync-bridge/errors';
import type { SyncService } from '../../core/sync-bridge/sync-service';
import { useAsyncAction } from '../hooks/use-async-action';
import { PERMISSION_REFUSED, requestRelayAccess } from './relay-permission';

/** Not connected yet: create the relay account for this vault (or reconnect to it). */
export function ConnectForm({ sync, hostAccess }: { sync: SyncService; hostAccess: HostAccess }) {
  const [relayUrl, setRelayUrl] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const [error, setError] = useState<string>();
  const { busy, run } = useAsyncAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    // Synchronous up to the permission request: the click's user gesture must still count.
    const access = requestRelayAccess(relayUrl, hostAccess);
    if (!access.ok) return setError(access.message);
    void run(async () => {
      if (!(await access.granted)) return setError(PERMISSION_REFUSED);
      try {
        await sync.createAccount({
          relayUrl: access.url,
          passphrase,
          ...(deviceName.trim() === '' ? {} : { deviceName: deviceName.trim() }),
        });
        setPassphrase('');
      } catch (err) {
        setError(syncErrorText(err));
      }
    });
  };

  return (
    <form className="stack" onSubmit={submit} data-testid="sync-connect-form">
      <p className="muted small">
        Sync keeps your conversations, memory and settings the same in every browser, through a
        relay you host. The relay only ever stores encrypted data it cannot read.
      </p>
      <label>
        Relay address
        <input
          data-testid="sync-relay-url"
          type="url"
          placeholder="https://relay.example.org"
          value={relayUrl}
          onChange={(e) => setRelayUrl(e.target.value)}
        />
      </label>
      <label>
        Name of this browser (shown in the device list)
        <input
          data-testid="sync-device-name"
          placeholder="Nook browser"
          maxLength={64}
          value={deviceName}
          onChange={(e) => setDeviceName(e.target.value)}
        />
      </label>
      <label>
        Your passphrase
        <input
          data-testid="sync-passphrase"
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
      </label>
      {error && (
        <p data-testid="sync-form-error" className="error" role="alert">
          {error}
        </p>
      )}
      <button data-testid="sync-create" type="submit" className="primary" disabled={busy}>
        {busy ? 'Connecting…' : 'Create relay account and start syncing'}
      </button>
    </form>
  );
}
