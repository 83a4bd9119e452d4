import type { PageServices } from '../../adapters/create-page-services';
import { ConnectForm } from '../sync/connect-form';
import { SyncStatusView } from '../sync/sync-status-view';
import { useSyncStatus } from '../sync/use-sync-status';

/** Options → Sync: connect to a relay, or the status of the connection. */
export function SyncSection({ services }: { services: Pick<PageServices, 'sync' | 'hostAccess'> }) {
  const { status, loadError, refresh } = useSyncStatus(services.sync);
  return (
    <section className="card stack" aria-labelledby="sync-title" data-testid="sync-section">
      <h2 id="sync-title">Sync</h2>
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
    </section>
  );
}
