/**
 * The first-run screen's "Link to an existing Nook" needs the sync service, but the vault
 * screens are given only the vault service. The page composition registers the service
 * here once; the link form reads it. One page = one service, so a module slot is enough.
 */
import type { SyncService } from './sync-service';

let current: SyncService | undefined;

/** Called once by the page composition (create-page-services.ts). */
export function registerSyncService(service: SyncService): void {
  current = service;
}

/** The page's sync service, or undefined when sync is not wired in this page. */
export function registeredSyncService(): SyncService | undefined {
  return current;
}
