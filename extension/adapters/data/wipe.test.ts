import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { createVault, KDF_FLOOR } from '../../../shared/crypto';
import type { ChatController } from '../../core/conversations/chat-controller';
import type { VaultService } from '../../core/vault/vault-service';
import { createDexieMetaStore } from '../db/meta-store';
import { createDexieRepos } from '../db/repos';
import { DB_NAME, openNookDb } from '../db/schema';
import { createPageDataControls, type PageDataDeps } from './page-data';
import { metaWithoutCreating, wipeExtensionData } from './wipe';

const names = async (idb: IDBFactory) => (await idb.databases()).map((d) => d.name);

/** One extension page's data controls over its own Dexie connection. */
async function page(indexedDB: IDBFactory) {
  const { vault } = await createVault({
    passphrase: 'correct horse battery staple',
    kdf: KDF_FLOOR,
  });
  const db = openNookDb({ indexedDB, IDBKeyRange });
  const repos = createDexieRepos(db, () => vault);
  const service = {
    getVault: () => vault,
    subscribe: () => () => undefined,
    dispose: vi.fn(),
  };
  const chat = { send: async () => undefined, getState: () => ({}), load: async () => undefined };
  const providers = { load: async () => undefined, getState: () => ({ providers: [] }) };
  const controls = createPageDataControls({
    db,
    repos,
    vault: service as unknown as VaultService,
    chat: chat as unknown as ChatController,
    providers: providers as unknown as PageDataDeps['providers'],
    platform: { indexedDB },
  });
  return { db, repos, controls, service };
}

describe('"Delete all data" with another Nook page open', () => {
  it('closes the other page for good, so nothing it does recreates the database', async () => {
    const indexedDB = new IDBFactory();
    const deleting = await page(indexedDB);
    const other = await page(indexedDB);
    await other.repos.conversations.put('c', { id: 'c', title: 't', createdAt: 1, updatedAt: 1 });
    expect((await deleting.repos.conversations.list()).length).toBe(1);

    await deleting.controls.deleteAllData();
    expect(await names(indexedDB)).toEqual([]);
    // The other page saw the delete, dropped its vault listeners and stopped using the db.
    expect(other.controls.isWiped()).toBe(true);
    expect(other.service.dispose).toHaveBeenCalled();
    expect(other.db.isOpen()).toBe(false);
    // A late write there (a sync tick, a save in flight) fails instead of recreating it.
    await expect(
      other.repos.conversations.put('c2', { id: 'c2', title: 't', createdAt: 1, updatedAt: 1 }),
    ).rejects.toMatchObject({ name: 'DatabaseClosedError' });
    await expect(other.db.meta.get('header')).rejects.toBeTruthy();
    expect(await names(indexedDB)).toEqual([]);
  });

  it('a bare connection (the background, any page) also closes for good on delete', async () => {
    const indexedDB = new IDBFactory();
    const a = openNookDb({ indexedDB, IDBKeyRange });
    const b = openNookDb({ indexedDB, IDBKeyRange });
    await a.meta.put({ key: 'x', value: 1 });
    expect(await b.meta.get('x')).toEqual({ key: 'x', value: 1 });
    a.close();
    await wipeExtensionData({ indexedDB });
    await expect(b.meta.get('x')).rejects.toMatchObject({ name: 'DatabaseClosedError' });
    expect(await names(indexedDB)).toEqual([]);
  });

  it('a page reloaded to first run reads "no vault" without creating the database', async () => {
    const indexedDB = new IDBFactory();
    const db = openNookDb({ indexedDB, IDBKeyRange });
    const meta = metaWithoutCreating(createDexieMetaStore(db.meta), db, indexedDB);
    expect(await meta.get('header')).toBeUndefined();
    expect(await names(indexedDB)).toEqual([]);
    // Setting up a vault writes, which creates it; reads then go to the database.
    await meta.set('kitPending', true);
    expect(await names(indexedDB)).toEqual([DB_NAME]);
    expect(await meta.get('kitPending')).toBe(true);
    db.close();
  });
});
