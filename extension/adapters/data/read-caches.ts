import { rowTokens, rowsStamp } from '../../core/records/row-stamp';
import { SETTINGS_RECORD_ID } from '../../core/models';
import { createSettingsCache } from '../../core/settings/settings-cache';
import { createUsageCache } from '../../core/usage/usage-cache';
import type { VaultService } from '../../core/vault/vault-service';
import type { Repos } from '../db/repos';
import type { NookDb } from '../db/schema';

/**
 * What one page reads on every send, kept decrypted while unlocked: the settings record
 * (chat defaults, budgets, prices) and the usage totals behind the budget check. Each read
 * checks the stored rows' plain revision fields and envelope tags first (no decryption),
 * so changes from Options in another page, sync or an import are seen by the next send.
 * Both caches forget everything when the vault locks.
 */
export function createPageReadCaches(
  db: NookDb,
  repos: Repos,
  vault: Pick<VaultService, 'getVault' | 'subscribe'>,
) {
  const keys = (): object | undefined => {
    try {
      return vault.getVault();
    } catch {
      return undefined;
    }
  };
  const settings = createSettingsCache({
    repo: repos.settings,
    changeStamp: async () => {
      const row = await db.settings.get(SETTINGS_RECORD_ID);
      return rowsStamp(row ? [row] : []);
    },
    keys,
  });
  const usage = createUsageCache({
    repo: repos.usage,
    rowTokens: async () => rowTokens(await db.usage.toArray()),
    keys,
  });
  vault.subscribe((s) => {
    if (s.status !== 'unlocked') {
      settings.reset();
      usage.reset();
    }
  });
  return { settings, usage };
}

export type PageReadCaches = ReturnType<typeof createPageReadCaches>;
