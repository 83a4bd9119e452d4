import { useLayoutEffect, useState, type FormEvent } from 'react';
import type { VaultService } from '../../core/vault/vault-service';
import { errorText } from '../hooks/error-text';
import { useAsyncAction } from '../hooks/use-async-action';
import { RecoverForm } from './recover-form';

/** Seconds left until `retryAt`, ticking while positive. */
function useSecondsUntil(retryAt: number): number {
  const [now, setNow] = useState(() => Date.now());
  // Layout effect: refresh the clock before paint, so a new retryAt never shows a stale count.
  useLayoutEffect(() => {
    setNow(Date.now());
    if (retryAt <= Date.now()) return;
    const timer = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= retryAt) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [retryAt]);
  return Math.max(0, Math.ceil((retryAt - now) / 1000));
}

/** The only thing a locked page shows: passphrase entry, or the recovery form. */
export function UnlockScreen({
  vault,
  retryAt,
  failures,
}: {
  vault: VaultService;
  retryAt: number;
  failures: number;
}) {
  const [mode, setMode] = useState<'unlock' | 'recover'>('unlock');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string>();
  const { busy, run } = useAsyncAction();
  const wait = useSecondsUntil(retryAt);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    void run(async () => {
      try {
        const result = await vault.unlock(passphrase);
        if (!result.ok) setError(result.message);
      } catch (err) {
        setError(errorText(err, 'Nook could not be unlocked. Please try again.'));
      }
    });
  };

  return (
    <main className="screen" data-testid="unlock-screen">
      <h1>Nook is locked</h1>
      {mode === 'recover' ? (
        <RecoverForm vault={vault} onCancel={() => setMode('unlock')} />
      ) : (
        <>
          <form onSubmit={submit} className="stack">
            <label>
              Passphrase
              <input
                data-testid="unlock-passphrase"
                type="password"
                autoComplete="current-password"
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
                autoFocus
              />
            </label>
            {error && !busy && (
              <p data-testid="unlock-error" className="error" role="alert">
                {error}
              </p>
            )}
            {wait > 0 && (
              <p className="muted" aria-live="polite">
                {failures} wrong attempts. You can try again in {wait} s.
              </p>
            )}
            <button
              data-testid="unlock-submit"
              type="submit"
              className="primary"
              disabled={busy || wait > 0}
            >
              {busy ? 'Unlocking…' : 'Unlock'}
            </button>
          </form>
          <button
            data-testid="unlock-forgot"
            type="button"
            className="link"
            onClick={() => setMode('recover')}
          >
            Forgot passphrase?
          </button>
        </>
      )}
    </main>
  );
}
