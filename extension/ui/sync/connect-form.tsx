import { useState } from 'react';
import type { HostAccess } from '../../core/chat/host-access';
import type { SyncService } from '../../core/sync-bridge/sync-service';
import { TextField } from '../form-fields';
import { useRelaySubmit } from './use-relay-submit';

/** Not connected yet: create the relay account for this vault (or reconnect to it). */
export function ConnectForm({ sync, hostAccess }: { sync: SyncService; hostAccess: HostAccess }) {
  const [passphrase, setPassphrase] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const { relayUrl, setRelayUrl, error, busy, submitWith } = useRelaySubmit(hostAccess);

  const submit = submitWith(async (url) => {
    await sync.createAccount({
      relayUrl: url,
      passphrase,
      ...(deviceName.trim() === '' ? {} : { deviceName: deviceName.trim() }),
    });
    setPassphrase('');
  });

  return (
    <form className="stack" onSubmit={submit} data-testid="sync-connect-form">
      <p className="muted small">
        Sync keeps your conversations, memory and settings the same in every browser, through a
        relay you host. The relay only ever stores encrypted data it cannot read.
      </p>
      <TextField
        label="Relay address"
        testId="sync-relay-url"
        type="url"
        placeholder="https://relay.example.org"
        value={relayUrl}
        onChange={setRelayUrl}
      />
      <TextField
        label="Name of this browser (shown in the device list)"
        testId="sync-device-name"
        placeholder="Nook browser"
        maxLength={64}
        value={deviceName}
        onChange={setDeviceName}
      />
      <TextField
        label="Your passphrase"
        testId="sync-passphrase"
        type="password"
        autoComplete="current-password"
        value={passphrase}
        onChange={setPassphrase}
      />
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
