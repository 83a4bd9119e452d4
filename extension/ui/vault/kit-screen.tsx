import { useState } from 'react';
import { kitFileName, renderKitText, type EmergencyKit } from '../../core/vault/emergency-kit';
import type { VaultService } from '../../core/vault/vault-service';
import { errorText } from '../hooks/error-text';
import { useAsyncAction } from '../hooks/use-async-action';

const INTRO = {
  created: 'Your vault is ready. Save your Emergency Kit before you continue.',
  rotated:
    'Your last Emergency Kit was not confirmed, so Nook made a new Recovery Key. Save this kit.',
  recovered:
    'Your passphrase is changed and your old Recovery Key no longer works. Save this new kit.',
} as const;

/** Shows the Secret Key and Recovery Key once; continuing needs a saved copy + a tick. */
export function KitScreen({
  vault,
  kit,
  reason,
}: {
  vault: VaultService;
  kit: EmergencyKit;
  reason: keyof typeof INTRO;
}) {
  const [saved, setSaved] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string>();
  const { busy, run } = useAsyncAction();

  const download = () => {
    const url = URL.createObjectURL(new Blob([renderKitText(kit)], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = kitFileName(kit);
    a.click();
    // Revoke later: revoking synchronously can cancel the download in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setSaved(true);
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(renderKitText(kit));
      setSaved(true);
    } catch {
      setError('Copying failed. Use “Download kit” instead.');
    }
  };
  const proceed = () =>
    void run(async () => {
      try {
        await vault.confirmKit();
      } catch (e) {
        setError(errorText(e));
      }
    });

  return (
    <main className="screen">
      <h1>Emergency Kit</h1>
      <p>{INTRO[reason]}</p>
      <dl className="kit">
        <dt>Secret Key</dt>
        <dd data-testid="kit-secret-key" className="mono">
          {kit.secretKey}
        </dd>
        <dt>Recovery Key</dt>
        <dd data-testid="kit-recovery-key" className="mono">
          {kit.recoveryKey}
        </dd>
      </dl>
      <p className="muted">
        The Secret Key plus your passphrase unlock Nook on another device. The Recovery Key resets a
        forgotten passphrase. Nook does not keep the Recovery Key: this is the only time you see it.
      </p>
      <div className="row">
        <button data-testid="kit-download" type="button" onClick={download}>
          Download kit
        </button>
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <label className="check">
        <input
          data-testid="kit-confirm"
          type="checkbox"
          checked={confirmed}
          onChange={(e) => setConfirmed(e.target.checked)}
        />
        I saved my Emergency Kit
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button
        data-testid="kit-continue"
        type="button"
        className="primary"
        disabled={!saved || !confirmed || busy}
        onClick={proceed}
      >
        Continue
      </button>
      {!saved && <p className="muted small">Download or copy the kit to continue.</p>}
    </main>
  );
}
