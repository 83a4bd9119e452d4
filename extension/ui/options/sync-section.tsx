import type { PageServices } from '../../adapters/create-page-services';
import { ConnectForm } from '../sync/connect-form';
import { SyncStatusView } from '../sync/sync-status-view';
import { useSyncStatus } from '../sync/use-sync-status';
import { OptionsSection } from './options-section';

/** Options → Sync: connect to a relay, or the status of the connection. */
export function SyncSection({ services }: { services: Pick<PageServices, 'sync' | 'hostAccess'> }) {
  const { status, loadError, refresh } = useSyncStatus(services.sync);
  return (
    <OptionsSection id="sync" title="Sync" testId="sync-section">
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      {status === undefined ? (
        <p className="muted">Loading…</p>
      ) : status.connected ? (
        <SyncStatusView sync={services.sync} status={status} refresh={refresh} />
      ) : (
        <ConnectForm sync={services.sync} hostAccess={services.hostAccess} />
      )}
    </OptionsSection>
  );
}
