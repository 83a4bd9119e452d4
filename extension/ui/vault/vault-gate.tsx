import type { ReactNode } from 'react';
import type { VaultService } from '../../core/vault/vault-service';
import { useStore } from '../hooks/use-store';
import { KitScreen } from './kit-screen';
import { SetupScreen } from './setup-screen';
import { UnlockScreen } from './unlock-screen';

/** Shows setup, kit or unlock screens until the vault is unlocked; only then `children`. */
export function VaultGate({
  vault,
  children,
  onLinkBrowser,
}: {
  vault: VaultService;
  children: ReactNode;
  /** Offered on the first-run screen: link this browser to an existing Nook (Options → Sync). */
  onLinkBrowser?: () => void;
}) {
  const state = useStore(vault);
  switch (state.status) {
    case 'loading':
      return (
        <main className="screen">
          <p className="muted">Opening Nook…</p>
        </main>
      );
    case 'uninitialized':
      return <SetupScreen vault={vault} onLinkBrowser={onLinkBrowser} />;
    case 'kit-pending':
      return <KitScreen vault={vault} kit={state.kit} reason={state.reason} />;
    case 'locked':
      return <UnlockScreen vault={vault} retryAt={state.retryAt} failures={state.failures} />;
    case 'failed':
      return (
        <main className="screen">
          <p className="error" role="alert">
            {state.message}
          </p>
        </main>
      );
    case 'unlocked':
      return <>{children}</>;
  }
}
