import { useCallback, useEffect, useState } from 'react';
import type { SyncService, SyncStatus } from '../../core/sync-bridge/sync-service';

/** How often "last synced" is re-read while the page is open. */
const REFRESH_MS = 5_000;

/** The sync status, re-read when any page changes it and every few seconds. */
export function useSyncStatus(sync: SyncService) {
  const [status, setStatus] = useState<SyncStatus>();
  const [loadError, setLoadError] = useState<string>();
  const refresh = useCallback(async () => {
    try {
      setStatus(await sync.status());
      setLoadError(undefined);
    } catch {
      setLoadError('The sync status could not be read.');
    }
  }, [sync]);
  useEffect(() => {
    void refresh();
    const off = sync.subscribe(() => void refresh());
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [sync, refresh]);
  return { status, loadError, refresh };
}

/** "just now", "3 minutes ago", or the date for older times. */
export function timeAgo(at: number | undefined, now = Date.now()): string {
  if (at === undefined) return 'never';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s} seconds ago`;
  const m = Math.round(s / 60);
  if (m < 60) return m === 1 ? '1 minute ago' : `${m} minutes ago`;
  const h = Math.round(m / 60);
  if (h < 24) return h === 1 ? '1 hour ago' : `${h} hours ago`;
  return new Date(at).toLocaleString();
}
