import { useCallback, useEffect, useState } from 'react';
import type { DeviceView } from '../../../shared/protocol';
import { syncErrorText } from '../../core/sync-bridge/errors';
import type { SyncService } from '../../core/sync-bridge/sync-service';
import { timeAgo } from './use-sync-status';

/** The account's browsers with "last synced", and revoke for the others. */
export function DevicesList({ sync, signedIn }: { sync: SyncService; signedIn: boolean }) {
  const [devices, setDevices] = useState<DeviceView[]>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      setDevices(await sync.devices());
      setError(undefined);
    } catch (e) {
      setError(syncErrorText(e));
    }
  }, [sync]);
  useEffect(() => {
    if (signedIn) void load();
  }, [signedIn, load]);

  const revoke = async (d: DeviceView) => {
    if (!window.confirm(`Sign "${d.name}" out of the relay? It stops syncing until relinked.`)) {
      return;
    }
    try {
      await sync.revokeDevice(d.id);
      await load();
    } catch (e) {
      setError(syncErrorText(e));
    }
  };

  if (!signedIn) return null;
  return (
    <div className="stack">
      <div className="row">
        <h3 className="grow">Devices</h3>
        <button type="button" data-testid="sync-devices-refresh" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="sync-devices-error">
          {error}
        </p>
      )}
      <ul className="list" data-testid="sync-devices">
        {devices?.map((d) => (
          <li key={d.id} className="row" data-testid="sync-device-item" data-device-id={d.id}>
            <span className="grow">
              {d.name}
              {d.current && <span className="muted small"> (this browser)</span>}
              <br />
              <span className="muted small">
                Last synced {timeAgo(d.lastSyncedAt ?? undefined)} · last seen{' '}
                {timeAgo(d.lastSeenAt)}
              </span>
            </span>
            {!d.current && (
              <button type="button" data-testid="sync-device-revoke" onClick={() => void revoke(d)}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
