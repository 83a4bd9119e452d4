import { useState } from 'react';
import type { HostAccess } from '../../core/chat/host-access';
import type { SyncService } from '../../core/sync-bridge/sync-service';
import { TextField } from '../form-fields';
import { useRelaySubmit } from './use-relay-submit';

/**
 * A browser with no vault yet joins an existing Nook: relay address and account ID (shown
 * in Options → Sync on the other browser), the passphrase and the Secret Key from the
 * Emergency Kit. Success unlocks this browser with the same vault; sync then fills it.
 */
export function LinkForm({ sync, hostAccess }: { sync: SyncService; hostAccess: HostAccess }) {
  const [accountId, setAccountId] = useState('');
  const [secretKey, setSecretKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const { relayUrl, setRelayUrl, error, busy, submitWith } = useRelaySubmit(hostAccess);

  const submit = submitWith((url) =>
    sync.linkBrowser({ relayUrl: url, accountId, passphrase, secretKey }),
  );

  return (
    <section className="card stack" aria-labelledby="link-title" data-testid="link-section">
      <h2 id="link-title">Already use Nook in another browser?</h2>
      <p className="muted small">
        Link this browser to your relay instead of creating a new vault. You need the relay address
        and account ID (Options → Sync in the other browser), your passphrase, and the Secret Key
        from your Emergency Kit.
      </p>
      <form className="stack" onSubmit={submit}>
        <TextField
          label="Relay address"
          testId="link-relay-url"
          type="url"
          placeholder="https://relay.example.org"
          value={relayUrl}
          onChange={setRelayUrl}
        />
        <TextField
          label="Account ID"
          testId="link-account-id"
          className="mono"
          spellCheck={false}
          value={accountId}
          onChange={setAccountId}
        />
        <TextField
          label="Secret Key"
          testId="link-secret-key"
          className="mono"
          spellCheck={false}
          autoComplete="off"
          placeholder="NK1-…"
          value={secretKey}
          onChange={setSecretKey}
        />
        <TextField
          label="Passphrase"
          testId="link-passphrase"
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={setPassphrase}
        />
        {error && (
          <p data-testid="link-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button data-testid="link-submit" type="submit" className="primary" disabled={busy}>
          {busy ? 'Linking…' : 'Link this browser'}
        </button>
      </form>
    </section>
  );
}
