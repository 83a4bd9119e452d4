/**
 * Plans an import: compares each record of a checked export with what is stored and keeps
 * only real changes, so importing the same file twice writes nothing the second time. The
 * plan is then written by a `DataWriter` in one transaction (all or nothing).
 */
import type { NookExport } from '../../../shared/export/schema';
import { SETTINGS_RECORD_ID } from '../models';
import type { RecordRepo, RecordResult } from '../records/record-repo-port';
import type { DataRepos, ProgressListener } from './export-data';

/** The collections an import writes (`providers` are stored in the `secrets` table). */
export const IMPORT_COLLECTIONS = [
  'conversations',
  'messages',
  'memory',
  'personas',
  'usage',
  'providers',
  'settings',
] as const;
export type ImportCollection = (typeof IMPORT_COLLECTIONS)[number];

/** One record to write. */
export interface ImportWrite {
  collection: ImportCollection;
  id: string;
  value: Record<string, unknown>;
}

/** Writes a plan atomically; throws DataError('conflict') if a record changed meanwhile. */
export interface DataWriter {
  apply(writes: readonly ImportWrite[], onProgress?: ProgressListener): Promise<void>;
}

/** What an import did, per collection. */
export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  byCollection: Partial<Record<ImportCollection, number>>;
}

/** Key-order-independent equality of two JSON values. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao).filter((k) => ao[k] !== undefined);
  if (keys.length !== Object.keys(bo).filter((k) => bo[k] !== undefined).length) return false;
  return keys.every((k) => Object.hasOwn(bo, k) && sameJson(ao[k], bo[k]));
}

async function existing<T>(repo: RecordRepo<T>): Promise<Map<string, RecordResult<T>>> {
  return new Map((await repo.list()).map((r) => [r.id, r]));
}

/** Builds the writes an import needs, and what they amount to. */
export async function planImport(
  repos: DataRepos,
  data: NookExport,
): Promise<{ writes: ImportWrite[]; summary: ImportSummary }> {
  const writes: ImportWrite[] = [];
  const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0, byCollection: {} };
  const consider = (
    collection: ImportCollection,
    id: string,
    value: Record<string, unknown>,
    current: RecordResult<unknown> | undefined,
  ) => {
    if (current?.ok && sameJson(current.value, value)) {
      summary.unchanged += 1;
      return;
    }
    if (current) summary.updated += 1;
    else summary.added += 1;
    summary.byCollection[collection] = (summary.byCollection[collection] ?? 0) + 1;
    writes.push({ collection, id, value });
  };
  const plain = async (
    collection: Exclude<ImportCollection, 'providers' | 'settings'>,
    records: readonly Record<string, unknown>[],
  ) => {
    const now = await existing<unknown>(repos[collection] as RecordRepo<unknown>);
    for (const r of records) consider(collection, r.id as string, r, now.get(r.id as string));
  };
  await plain('conversations', data.conversations);
  await plain('messages', data.messages);
  await plain('memory', data.memory);
  await plain('personas', data.personas);
  await plain('usage', data.usage);
  const providers = await existing(repos.providers);
  for (const p of data.providers) {
    const current = providers.get(p.id);
    // An export without keys must not wipe a key this browser already holds.
    const key = p.apiKey ?? (current?.ok ? current.value.apiKey : undefined);
    const value = { ...p, ...(key !== undefined ? { apiKey: key } : {}) };
    consider('providers', p.id, value, current);
  }
  if (data.settings) {
    const rows = await repos.settings.list();
    consider(
      'settings',
      SETTINGS_RECORD_ID,
      data.settings,
      rows.find((r) => r.id === SETTINGS_RECORD_ID),
    );
  }
  return { writes, summary };
}
