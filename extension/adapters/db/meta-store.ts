import type { Table } from 'dexie';
import type { MetaStore, VaultMeta } from '../../core/vault/ports';
import type { MetaRow } from './schema';

/** MetaStore over the plain Dexie `meta` table (one row per key). */
export function createDexieMetaStore(table: Table<MetaRow, string>): MetaStore {
  return {
    async get<K extends keyof VaultMeta>(key: K) {
      // The table is written only through `set`, so the stored value has the key's type.
      return (await table.get(key))?.value as VaultMeta[K] | undefined;
    },
    async set(key, value) {
      await table.put({ key, value });
    },
  };
}

/** In-memory MetaStore for tests; `snapshot()` shows exactly what would hit disk. */
export function createMemoryMetaStore(): MetaStore & { snapshot(): Partial<VaultMeta> } {
  const data = new Map<keyof VaultMeta, unknown>();
  return {
    async get<K extends keyof VaultMeta>(key: K) {
      return structuredClone(data.get(key)) as VaultMeta[K] | undefined;
    },
    async set(key, value) {
      data.set(key, structuredClone(value));
    },
    snapshot: () => Object.fromEntries(data) as Partial<VaultMeta>,
  };
}
