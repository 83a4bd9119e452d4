import { useState, type FormEvent } from 'react';
import type { VaultService } from '../../core/vault/vault-service';
import { errorText } from '../hooks/error-text';
import { useAsyncAction } from '../hooks/use-async-action';

/** Forgot passphrase: Recovery Key + a new passphrase; success shows a new kit. */
export function RecoverForm({ vault, onCancel }: { vault: VaultService; onCancel: () => void }) {
  const [recoveryKey, setRecoveryKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const { busy, run } = useAsyncAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    void run(async () => {
      try {
        const result = await vault.recover(recoveryKey, passphrase, confirm);
        if (!result.ok) setError(result.message);
      } catch (err) {
        setError(errorText(err, 'Recovery failed. Please try again.'));
      }
    });
  };

  return (
    <form onSubmit={submit} className="stack">
      <p className="muted">
        Enter the Recovery Key from your Emergency Kit and choose a new passphrase.
      </p>
      <label>
        Recovery Key
        <input
          data-testid="recover-key"
          className="mono"
          autoComplete="off"
          spellCheck={false}
          value={recoveryKey}
          onChange={(e) => setRecoveryKey(e.target.value)}
          autoFocus
        />
      </label>
      <label>
        New passphrase
        <input
          data-testid="recover-passphrase"
          type="password"
          autoComplete="new-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
      </label>
      <label>
        Repeat new passphrase
        <input
          data-testid="recover-confirm"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
      </label>
      {error && !busy && (
        <p data-testid="recover-error" className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button data-testid="recover-submit" type="submit" className="primary" disabled={busy}>
          {busy ? 'Recovering…' : 'Recover and set passphrase'}
        </button>
        <button type="button" className="link" onClick={onCancel} disabled={busy}>
          Back
        </button>
      </div>
    </form>
  );
}
