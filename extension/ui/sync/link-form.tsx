import { useState, type FormEvent } from 'react';
import type { HostAccess } from '../../core/chat/host-access';
import { syncErrorText } from '../../core/sync-bridge/errors';
import type { SyncService } from '../../core/sync-bridge/sync-service';
import { useAsyncAction } from '../hooks/use-async-action';
import { PERMISSION_REFUSED, requestRelayAccess } from './relay-permission';

/**
 * A browser with no vault yet joins an existing Nook: relay address and account ID (shown
 * in Options → Sync on the other browser), the passphrase and the Secret Key from the
 * Emergency Kit. Success unlocks this browser with the same vault; sync then fills it.
 */
export function LinkForm({ sync, hostAccess }: { sync: SyncService; hostAccess: HostAccess }) {
  const [relayUrl, setRelayUrl] = useState('');
  const [accountId, setAccountId] = useState('');
  const [secretKey, setSecretKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string>();
  const { busy, run } = useAsyncAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const access = requestRelayAccess(relayUrl, hostAccess);
    if (!access.ok) return setError(access.message);
    void run(async () => {
      if (!(await access.granted)) return setError(PERMISSION_REFUSED);
      try {
        await sync.linkBrowser({ relayUrl: access.url, accountId, passphrase, secretKey });
      } catch (err) {
        setError(syncErrorText(err));
      }
    });
  };

  return (
    <section className="card stack" aria-labelledby="link-title" data-testid="link-section">
      <h2 id="link-title">Already use Nook in another browser?</h2>
      <p className="muted small">
        Link this browser to your relay instead of creating a new vault. You need the relay address
        and account ID (Options → Sync in the other browser), your passphrase, and the Secret Key
        from your Emergency Kit.
      </p>
      <form className="stack" onSubmit={submit}>
        <label>
          Relay address
          <input
            data-testid="link-relay-url"
            type="url"
            placeholder="https://relay.example.org"
            value={relayUrl}
            onChange={(e) => setRelayUrl(e.target.value)}
          />
        </label>
        <label>
          Account ID
          <input
            data-testid="link-account-id"
            className="mono"
            spellCheck={false}
            value={accountId}
            onChange={(e) => setAccountId(e.target.value)}
          />
        </label>
        <label>
          Secret Key
          <input
            data-testid="link-secret-key"
            className="mono"
            spellCheck={false}
            autoComplete="off"
            placeholder="NK1-…"
            value={secretKey}
            onChange={(e) => setSecretKey(e.target.value)}
          />
        </label>
        <label>
          Passphrase
          <input
            data-testid="link-passphrase"
            type="password"
            autoComplete="current-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </label>
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
