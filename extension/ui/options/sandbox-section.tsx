import { useEffect, useState } from 'react';
import type { SandboxStatusState, SandboxStatusStore } from '../../core/sandbox/status-store';
import { formatBytes } from '../../core/sandbox/status-store';
import { useStore } from '../hooks/use-store';
import '../sandbox/sandbox.css';
import { OptionsSection } from './options-section';

const STATE_TEXT: Record<'running' | 'stopped' | 'absent', string> = {
  running: 'Running',
  stopped: 'Stopped (starts again on the next run; your files are kept)',
  absent: 'Not created yet (made on the first run or upload)',
};

function stateText(s: SandboxStatusState): string {
  if (s.off) return 'Off on this relay';
  if (s.status) return STATE_TEXT[s.status.state];
  return s.loading ? 'Checking…' : 'Unknown';
}

/** Options → Sandbox: state, workspace size against the quota, and reset. */
export function SandboxSection({ store }: { store: SandboxStatusStore }) {
  const s = useStore(store);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    void store.refresh();
    // Another page (Options → Sync, the side panel) may have changed things meanwhile.
    const onFocus = () => void store.refresh();
    window.addEventListener('focus', onFocus);
    const unwatch = store.watch();
    return () => {
      window.removeEventListener('focus', onFocus);
      unwatch();
    };
  }, [store]);

  const used = s.status?.usedBytes;
  return (
    <OptionsSection id="sandbox" title="Sandbox" testId="sandbox-section">
      <p className="muted small">
        Code the assistant writes runs, with your click, in a private container on your relay: no
        network, only your files, kept until you delete them.
      </p>
      {s.connected === false ? (
        <p data-testid="sandbox-not-connected" role="status">
          The sandbox runs on your relay. Connect this browser to a relay in Options → Sync first.
        </p>
      ) : (
        <>
          <dl className="sandbox-facts">
            <dt>State</dt>
            <dd data-testid="sandbox-state">{stateText(s)}</dd>
            {s.status && (
              <>
                <dt>Workspace</dt>
                <dd data-testid="sandbox-usage">
                  {used === null || used === undefined ? '—' : formatBytes(used)} of{' '}
                  {formatBytes(s.status.quotaBytes)}
                </dd>
              </>
            )}
          </dl>
          {s.off && (
            <p className="muted small" data-testid="sandbox-off">
              The relay&apos;s operator has not turned the sandbox on (it needs Docker and the
              NOOK_SANDBOX_IMAGE setting).
            </p>
          )}
          <div className="row">
            <button
              type="button"
              data-testid="sandbox-refresh"
              disabled={s.loading}
              onClick={() => void store.refresh()}
            >
              Refresh
            </button>
            {!s.off && !confirming && (
              <button
                type="button"
                className="danger"
                data-testid="sandbox-reset"
                disabled={s.resetting || s.connected !== true}
                onClick={() => setConfirming(true)}
              >
                Reset sandbox…
              </button>
            )}
          </div>
          {confirming && (
            <div className="notice stack" role="alertdialog" aria-label="Confirm reset">
              <p>
                Reset deletes the sandbox and <strong>every file in it</strong> (uploads and
                results). This cannot be undone.
              </p>
              <div className="row">
                <button
                  type="button"
                  className="danger"
                  data-testid="sandbox-reset-confirm"
                  disabled={s.resetting}
                  onClick={() => {
                    setConfirming(false);
                    void store.reset();
                  }}
                >
                  Delete everything
                </button>
                <button
                  type="button"
                  data-testid="sandbox-reset-cancel"
                  onClick={() => setConfirming(false)}
                >
                  Cancel
                </button>
              </div>
            </div>
          )}
        </>
      )}
      {s.resetting && <p className="muted">Resetting…</p>}
      {s.notice && (
        <p data-testid="sandbox-notice" role="status">
          {s.notice}
        </p>
      )}
      {s.error && (
        <p className="error" data-testid="sandbox-error" role="alert">
          {s.error}
        </p>
      )}
    </OptionsSection>
  );
}
