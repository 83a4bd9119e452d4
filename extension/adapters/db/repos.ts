import type { RecoveredVault } from '../../../shared/crypto';
import type { StoredProvider } from '../../core/chat/provider-registry';
import type { UserPrompt } from '../../core/background/prompts';
import type { LedgerEntry } from '../../core/ledger/types';
import type { MemoryEntry } from '../../core/memory/types';
import type { AppSettings, Conversation, Message, Persona, UsageTotal } from '../../core/models';
import { createRecordRepo } from './record-repo';
import { createDexieRecordTable, createMemoryRecordTable, type RecordTable } from './record-table';
import type { NookDb, RecordTableName } from './schema';

/** The repositories the extension pages use, one per collection in use so far. */
export function createRepos(
  tableFor: (name: RecordTableName) => RecordTable,
  getVault: () => RecoveredVault,
) {
  return {
    conversations: createRecordRepo<Conversation>(
      tableFor('conversations'),
      'conversations',
      getVault,
      {
        index: (c) => ({ createdAt: c.createdAt }),
      },
    ),
    messages: createRecordRepo<Message>(tableFor('messages'), 'messages', getVault, {
      index: (m) => ({ conversationId: m.conversationId, createdAt: m.createdAt }),
    }),
    settings: createRecordRepo<AppSettings>(tableFor('settings'), 'settings', getVault),
    /** Configured providers, API keys included (the key never leaves an envelope on disk). */
    providers: createRecordRepo<StoredProvider>(tableFor('secrets'), 'secrets', getVault),
    personas: createRecordRepo<Persona>(tableFor('personas'), 'personas', getVault),
    usage: createRecordRepo<UsageTotal>(tableFor('usage'), 'usage', getVault),
    /** Long-term memory facts (core/memory/memory-store.ts). */
    memory: createRecordRepo<MemoryEntry>(tableFor('memory'), 'memory', getVault),
    /** Data-flow ledger: one record per outbound request; `at` stays plain for ranges. */
    ledger: createRecordRepo<LedgerEntry>(tableFor('ledger'), 'ledger', getVault, {
      index: (e) => ({ at: e.at }),
    }),
    /** The user's own context-menu prompts (Options → Prompts). */
    prompts: createRecordRepo<UserPrompt>(tableFor('prompts'), 'prompts', getVault),
  };
}

export type Repos = ReturnType<typeof createRepos>;

/** Repositories over the Dexie database. */
export function createDexieRepos(db: NookDb, getVault: () => RecoveredVault): Repos {
  return createRepos((name) => createDexieRecordTable(db[name]), getVault);
}

/** Repositories over in-memory tables (tests); `tables` gives access to the raw rows. */
export function createMemoryRepos(getVault: () => RecoveredVault) {
  const tables = new Map<RecordTableName, ReturnType<typeof createMemoryRecordTable>>();
  const tableFor = (name: RecordTableName) => {
    let t = tables.get(name);
    if (!t) {
      t = createMemoryRecordTable();
      tables.set(name, t);
    }
    return t;
  };
  return { repos: createRepos(tableFor, getVault), table: tableFor };
}
