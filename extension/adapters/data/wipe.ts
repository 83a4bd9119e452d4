import type { MetaStore } from '../../core/vault/ports';
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

/**
 * A MetaStore whose reads never create the database: while this page has not opened it and
 * the browser lists no such database (first run, or a reload after "Delete all data" in
 * another page), a read answers "nothing stored" without opening it, so a page showing the
 * first-run screen leaves no empty database behind. Writes (creating a vault) open it.
 * Browsers without `indexedDB.databases()` read as before.
 */
export function metaWithoutCreating(
  meta: MetaStore,
  db: { name: string; isOpen(): boolean },
  idb: IDBFactory | undefined,
): MetaStore {
  const missing = async () => {
    if (db.isOpen() || !idb?.databases) return false;
    const listed = await idb.databases().catch(() => undefined);
    return listed !== undefined && !listed.some((d) => d.name === db.name);
  };
  return {
    async get(key) {
      return (await missing()) ? undefined : meta.get(key);
    },
    set: (key, value) => meta.set(key, value),
  };
}
