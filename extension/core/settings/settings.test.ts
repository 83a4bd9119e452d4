import { describe, expect, it } from 'vitest';
import { RecordError, type RecordRepo } from '../records/record-repo-port';
import { DEFAULT_SETTINGS, type AppSettings } from '../models';
import { loadSettings, parseAutoLockMinutes, saveSettings } from './settings';

/** A settings repo whose `get` behaves as scripted. */
function repo(get: () => Promise<AppSettings>): RecordRepo<AppSettings> & { saved: AppSettings[] } {
  const saved: AppSettings[] = [];
  return {
    saved,
    get,
    put: async (_id, v) => {
      saved.push(v);
      return saved.length;
    },
    list: async () => [],
    delete: async () => {},
  };
}

describe('settings', () => {
  it('uses the defaults (auto-lock 15 min) until the user saves something', async () => {
    const r = repo(() => Promise.reject(new RecordError('not-found', 'app')));
    expect(await loadSettings(r)).toEqual({ settings: { autoLockMinutes: 15 }, damaged: false });
    await saveSettings(r, { autoLockMinutes: 5 });
    expect(r.saved).toEqual([{ autoLockMinutes: 5 }]);
  });

  it('falls back to the defaults and says so when the record is damaged', async () => {
    const r = repo(() => Promise.reject(new RecordError('decrypt-failed', 'app')));
    expect(await loadSettings(r)).toEqual({ settings: DEFAULT_SETTINGS, damaged: true });
  });

  it('fills fields added after the record was saved', async () => {
    const r = repo(async () => ({}) as AppSettings);
    expect((await loadSettings(r)).settings.autoLockMinutes).toBe(15);
  });

  it('accepts whole minutes from 1 to 1440 only', () => {
    expect(parseAutoLockMinutes('5')).toEqual({ ok: true, minutes: 5 });
    for (const bad of ['0', '-3', '2.5', 'abc', '', '1441']) {
      expect(parseAutoLockMinutes(bad)).toMatchObject({ ok: false });
    }
  });
});
