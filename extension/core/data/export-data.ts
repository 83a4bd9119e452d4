/**
 * Reads every record the user owns into one plain `NookExport` document. Platform-free:
 * the repositories are the ports. Damaged records (that fail to decrypt) are counted and
 * left out rather than failing the whole export.
 */
import { EXPORT_KIND, EXPORT_SCHEMA_VERSION, type NookExport } from '../../../shared/export/schema';
import type { StoredProvider } from '../chat/provider-registry';
import type { MemoryEntry } from '../memory/types';
import {
  SETTINGS_RECORD_ID,
  type AppSettings,
  type Conversation,
  type Message,
  type Persona,
  type UsageTotal,
} from '../models';
import { RecordError, type RecordRepo, type RecordResult } from '../records/record-repo-port';

/** The repositories an export reads and an import writes. */
export interface DataRepos {
  conversations: RecordRepo<Conversation>;
  messages: RecordRepo<Message>;
  memory: RecordRepo<MemoryEntry>;
  personas: RecordRepo<Persona>;
  usage: RecordRepo<UsageTotal>;
  providers: RecordRepo<StoredProvider>;
  settings: RecordRepo<AppSettings>;
}

/** Progress of a long export or import, for a progress bar. */
export interface DataProgress {
  phase: 'reading' | 'packing' | 'sealing' | 'checking' | 'writing' | 'done';
  done: number;
  total: number;
}
export type ProgressListener = (p: DataProgress) => void;

export interface ExportOptions {
  /** Include API keys (allowed only for the encrypted bundle; the caller enforces it). */
  includeKeys?: boolean;
  now?: () => number;
  onProgress?: ProgressListener;
}

function values<T>(rows: RecordResult<T>[]): { values: T[]; damaged: number } {
  const out: T[] = [];
  let damaged = 0;
  for (const r of rows) {
    if (r.ok) out.push(r.value);
    else damaged += 1;
  }
  return { values: out, damaged };
}

async function readSettings(repo: RecordRepo<AppSettings>): Promise<AppSettings | null> {
  try {
    return await repo.get(SETTINGS_RECORD_ID);
  } catch (e) {
    if (e instanceof RecordError && e.code !== 'locked') return null;
    throw e;
  }
}

/**
 * Builds the export. Messages are read in one query (one index scan in IndexedDB) and
 * grouped by conversation; progress moves once per collection.
 */
export async function collectExport(
  repos: DataRepos,
  options: ExportOptions = {},
): Promise<{ data: NookExport; damaged: number }> {
  const report = options.onProgress ?? (() => undefined);
  const total = 7;
  let done = 0;
  report({ phase: 'reading', done, total });
  const conversations = values(await repos.conversations.list());
  const convs = conversations.values.sort((a, b) => a.createdAt - b.createdAt);
  let damaged = conversations.damaged;
  report({ phase: 'reading', done: ++done, total });
  const kept = new Set(convs.map((c) => c.id));
  const rows = values(await repos.messages.list());
  damaged += rows.damaged;
  const order = new Map(convs.map((c, i) => [c.id, i]));
  // Messages of a deleted (or damaged) conversation are not exported: nothing shows them.
  const messages = rows.values
    .filter((m) => kept.has(m.conversationId))
    .sort(
      (a, b) =>
        (order.get(a.conversationId) ?? 0) - (order.get(b.conversationId) ?? 0) ||
        a.createdAt - b.createdAt ||
        a.id.localeCompare(b.id),
    );
  report({ phase: 'reading', done: ++done, total });
  const next = async <T>(repo: RecordRepo<T>): Promise<T[]> => {
    const rows = values(await repo.list());
    damaged += rows.damaged;
    report({ phase: 'reading', done: ++done, total });
    return rows.values;
  };
  const memory = (await next(repos.memory)).sort((a, b) => a.createdAt - b.createdAt);
  const personas = (await next(repos.personas)).sort((a, b) => a.createdAt - b.createdAt);
  const usage = (await next(repos.usage)).sort((a, b) => a.id.localeCompare(b.id));
  const providers = (await next(repos.providers))
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((p) => (options.includeKeys ? p : withoutKey(p)));
  const settings = await readSettings(repos.settings);
  report({ phase: 'reading', done: ++done, total });
  const data: NookExport = {
    kind: EXPORT_KIND,
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportedAt: (options.now ?? Date.now)(),
    conversations: convs,
    messages,
    memory,
    personas,
    usage,
    providers,
    settings: settings as NookExport['settings'],
  };
  return { data, damaged };
}

function withoutKey(p: StoredProvider): StoredProvider {
  const copy = { ...p };
  delete copy.apiKey;
  return copy;
}
