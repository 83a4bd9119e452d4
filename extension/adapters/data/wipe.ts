import { DB_NAME } from '../db/schema';

/** What "Delete all data" erases besides this page's open database. */
export interface WipePlatform {
  indexedDB: IDBFactory;
  storage?: {
    local?: { clear(): Promise<void> };
    session?: { clear(): Promise<void> };
  };
}

/** Deletes one IndexedDB database; other pages' Dexie instances close on `versionchange`. */
function deleteDatabase(idb: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = idb.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('IndexedDB delete failed'));
    // `blocked` is followed by `success` once the other connections close; just wait.
  });
}

/**
 * Erases every IndexedDB database of the extension's origin (the `nook` vault, sync state)
 * and both extension storage areas. The caller closes its own connection first and must not
 * touch the database again (Dexie would recreate it) until the page reloads.
 */
export async function wipeExtensionData(platform: WipePlatform): Promise<void> {
  const names = new Set<string>([DB_NAME]);
  const listed = await platform.indexedDB.databases?.().catch(() => []);
  for (const info of listed ?? []) if (info.name) names.add(info.name);
  for (const name of names) await deleteDatabase(platform.indexedDB, name);
  await platform.storage?.local?.clear();
  await platform.storage?.session?.clear();
}
