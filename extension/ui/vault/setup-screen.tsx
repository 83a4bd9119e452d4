import { useEffect, useState, type FormEvent } from 'react';
import { loadStrengthMeter, type StrengthMeter } from '../../core/vault/passphrase-strength';
import type { VaultService } from '../../core/vault/vault-service';
import { errorText } from '../hooks/error-text';
import { useAsyncAction } from '../hooks/use-async-action';

/**
 * First run: choose a passphrase. Creating the vault leads to the Emergency Kit. With
 * `onLinkBrowser` (the side panel passes one that opens the options page), someone who already
 * uses Nook elsewhere is pointed to "Link this browser" instead of making a second vault.
 */
export function SetupScreen({
  vault,
  onLinkBrowser,
}: {
  vault: VaultService;
  onLinkBrowser?: () => void;
}) {
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const { busy, run } = useAsyncAction();
  const [meter, setMeter] = useState<{ rate: StrengthMeter }>();
  useEffect(() => {
    void loadStrengthMeter().then((rate) => setMeter({ rate }));
  }, []);
  const strength = meter ? meter.rate(passphrase).label : 'checking…';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    void run(async () => {
      try {
        await vault.create(passphrase, confirm);
      } catch (err) {
        setError(errorText(err, 'The vault could not be created. Please try again.'));
      }
    });
  };

  return (
    <main className="screen">
      <h1>Welcome to Nook</h1>
      <p className="muted">
        Choose a passphrase. It encrypts everything Nook stores and never leaves this browser.
        Nobody, not even Nook, can reset it for you — a long sentence you can remember works best.
      </p>
      <form onSubmit={submit} className="stack">
        <label>
          Passphrase
          <input
            data-testid="setup-passphrase"
            type="password"
            autoComplete="new-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoFocus
          />
        </label>
        <p data-testid="setup-strength" className="strength" aria-live="polite">
          Strength: {strength}
        </p>
        <label>
          Repeat passphrase
          <input
            data-testid="setup-confirm"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        </label>
        {error && (
          <p data-testid="setup-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button data-testid="setup-submit" type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating your vault…' : 'Create vault'}
        </button>
      </form>
      {onLinkBrowser && (
        <p className="muted small" data-testid="setup-link-hint">
          Already use Nook in another browser?{' '}
          <button
            data-testid="setup-link-browser"
            type="button"
            className="link"
            onClick={onLinkBrowser}
          >
            Link this browser
          </button>{' '}
          from the options page (Options → Sync) to bring your conversations here instead of
          starting a new vault.
        </p>
      )}
    </main>
  );
}
