import {
  lockVault,
  openVaultFromAk,
  fromBase64,
  type RecoveredVault,
} from '../../../shared/crypto';
import type { BackgroundAdapters } from '../../core/background/start-background';
import { applyRetention } from '../../core/retention/retention';
import { loadSettings } from '../../core/settings/settings';
import { createDexieMetaStore } from '../db/meta-store';
import { createDexieRepos } from '../db/repos';
import { openNookDb } from '../db/schema';
import type { KvArea } from '../vault/kv-area';
import { createSessionKeyStore } from '../vault/session-key-store';

/** The parts of `browser` the daily retention needs. */
export interface RetentionBrowser {
  storage: { session: KvArea };
  alarms: {
    create(name: string, info: { periodInMinutes: number }): Promise<void> | void;
    onAlarm: { addListener(listener: (alarm: { name: string }) => void): void };
  };
}

/**
 * The background's daily retention: a one-day alarm, and a task that runs only while the
 * vault is unlocked (the keys are in storage.session), opening the database just long
 * enough to delete what is past the limit. Locked, it does nothing; the next unlock
 * applies the rule in the page.
 */
export function createBackgroundRetention(
  api: RetentionBrowser,
): Pick<BackgroundAdapters, 'daily' | 'retention'> {
  const session = createSessionKeyStore(api.storage.session);
  return {
    daily(name, task) {
      void api.alarms.create(name, { periodInMinutes: 24 * 60 });
      api.alarms.onAlarm.addListener((alarm) => {
        if (alarm.name === name) task();
      });
    },
    async retention() {
      const keys = await session.read();
      if (!keys) return 0;
      const db = openNookDb();
      let vault: RecoveredVault | undefined;
      try {
        const header = await createDexieMetaStore(db.meta).get('header');
        if (header?.vaultId !== keys.vaultId) return 0;
        const v = await openVaultFromAk(keys.vaultId, fromBase64(keys.ak));
        vault = v;
        const repos = createDexieRepos(db, () => v);
        const { settings } = await loadSettings(repos.settings);
        return await applyRetention(repos, settings.retentionDays, Date.now());
      } finally {
        if (vault) lockVault(vault);
        db.close();
      }
    },
  };
}
