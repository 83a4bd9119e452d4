import { describe, expect, it } from 'vitest';
import { createMemoryRepos, createRepos } from '../../adapters/db/repos';
import { rowsStamp } from '../records/row-stamp';
import { DEFAULT_SETTINGS, SETTINGS_RECORD_ID, type AppSettings } from '../models';
import type { RecordRepo } from '../records/record-repo-port';
import { testVault } from '../tools/test-kit';
import { saveSettings } from './settings';
import { createSettingsCache } from './settings-cache';

/** A panel's cache counting decrypts, and another page's repositories over the same rows. */
async function twoPages() {
  const vault = await testVault();
  const { repos, table } = createMemoryRepos(() => vault);
  const other = createRepos(table, () => vault);
  let gets = 0;
  const repo: RecordRepo<AppSettings> = {
    ...repos.settings,
    get: (id) => ((gets += 1), repos.settings.get(id)),
  };
  let keys: object | undefined = vault;
  const cache = createSettingsCache({
    repo,
    changeStamp: async () => rowsStamp([...table('settings').rows.values()]),
    keys: () => keys,
  });
  return {
    vault,
    table,
    other,
    cache,
    gets: () => gets,
    setKeys: (k: object | undefined) => (keys = k),
  };
}

describe('settings cache', () => {
  it('decrypts the settings once while they are unchanged', async () => {
    const p = await twoPages();
    await saveSettings(p.other.settings, { ...DEFAULT_SETTINGS, defaultModel: 'gpt-4o' });
    expect((await p.cache.get()).defaultModel).toBe('gpt-4o');
    await p.cache.get();
    await p.cache.load();
    expect(p.gets()).toBe(1);
  });

  it('honours a budget or default changed in another page at the next read', async () => {
    const p = await twoPages();
    await saveSettings(p.other.settings, { ...DEFAULT_SETTINGS, budgets: { p1: 1 } });
    expect((await p.cache.get()).budgets).toEqual({ p1: 1 });
    await saveSettings(p.other.settings, { ...DEFAULT_SETTINGS, budgets: { p1: 5 } });
    expect((await p.cache.get()).budgets).toEqual({ p1: 5 });
    expect(p.gets()).toBe(2);
    await p.other.settings.delete(SETTINGS_RECORD_ID);
    expect(await p.cache.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps the missing and damaged fallbacks, and a caller cannot change what is held', async () => {
    const p = await twoPages();
    expect(await p.cache.load()).toEqual({ settings: DEFAULT_SETTINGS, damaged: false });
    const got = await p.cache.get();
    got.budgets = { p1: 1 };
    expect((await p.cache.get()).budgets).toBeUndefined();
    await saveSettings(p.other.settings, { ...DEFAULT_SETTINGS, autoLockMinutes: 30 });
    const row = p.table('settings').rows.get(SETTINGS_RECORD_ID);
    if (!row) throw new Error('no row');
    p.table('settings').rows.set(SETTINGS_RECORD_ID, {
      ...row,
      env: Uint8Array.from(row.env, (b, i) => (i === row.env.length - 1 ? b ^ 1 : b)),
    });
    expect(await p.cache.load()).toEqual({ settings: DEFAULT_SETTINGS, damaged: true });
  });

  it('forgets the settings on lock and refuses to answer while locked', async () => {
    const p = await twoPages();
    await saveSettings(p.other.settings, { ...DEFAULT_SETTINGS, defaultModel: 'm' });
    await p.cache.get();
    p.setKeys(undefined);
    await expect(p.cache.get()).rejects.toMatchObject({ name: 'RecordError', code: 'locked' });
    p.setKeys({ ...p.vault });
    expect((await p.cache.get()).defaultModel).toBe('m');
    expect(p.gets()).toBe(2);
    p.cache.reset();
    await p.cache.get();
    expect(p.gets()).toBe(3);
  });
});
