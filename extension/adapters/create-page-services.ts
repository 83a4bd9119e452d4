import { createChatController } from '../core/conversations/chat-controller';
import { loadSettings } from '../core/settings/settings';
import { createVaultService } from '../core/vault/vault-service';
import { createDexieMetaStore } from './db/meta-store';
import { createDexieRepos } from './db/repos';
import { openNookDb } from './db/schema';
import type { KvArea } from './vault/kv-area';
import { createSessionKeyStore } from './vault/session-key-store';

/**
 * Builds what one extension page (side panel or options) needs: the vault state
 * machine over IndexedDB + storage.session, the repositories and the chat shell.
 * Pass `browser.storage.session`; nothing here touches storage.local.
 */
export function createPageServices(sessionArea: KvArea) {
  const db = openNookDb();
  const meta = createDexieMetaStore(db.meta);
  const session = createSessionKeyStore(sessionArea);
  const repos = createDexieRepos(db, () => vault.getVault());
  const vault = createVaultService({
    meta,
    session,
    loadAutoLockMinutes: async () => (await loadSettings(repos.settings)).settings.autoLockMinutes,
  });
  const chat = createChatController({
    conversations: repos.conversations,
    messages: repos.messages,
  });
  return { vault, repos, chat };
}

export type PageServices = ReturnType<typeof createPageServices>;
