/**
 * The ledger over the encrypted `ledger` collection: recording, filtering and export
 * (JSON / CSV) for Options → Ledger. Platform-free.
 */
import type { RecordRepo } from '../records/record-repo-port';
import type { LedgerSink } from './ledger-fetch';
import type { LedgerEntry, LedgerPurpose } from './types';

/** What Options → Ledger filters on; every field optional. */
export interface LedgerFilter {
  /** Inclusive range on `at` (ms). */
  from?: number;
  to?: number;
  /** Substring of the host, case-insensitive. */
  host?: string;
  purpose?: LedgerPurpose;
  conversationId?: string;
  /** Only requests where something was redacted. */
  redactedOnly?: boolean;
}

/** Entries matching `filter`, newest first. */
export function filterLedger(entries: readonly LedgerEntry[], f: LedgerFilter): LedgerEntry[] {
  const host = f.host?.trim().toLowerCase();
  return entries
    .filter(
      (e) =>
        (f.from === undefined || e.at >= f.from) &&
        (f.to === undefined || e.at <= f.to) &&
        (!host || e.host.toLowerCase().includes(host)) &&
        (!f.purpose || e.purpose === f.purpose) &&
        (!f.conversationId || e.conversationId === f.conversationId) &&
        (!f.redactedOnly || (e.redactions?.length ?? 0) > 0),
    )
    .sort((a, b) => b.at - a.at || a.id.localeCompare(b.id));
}

const CSV_COLUMNS = [
  'time',
  'host',
  'method',
  'purpose',
  'status',
  'failure',
  'bytesSent',
  'bytesReceived',
  'conversationId',
  'redactions',
  'origin',
  'kind',
  'durationMs',
] as const;

// A cell that a spreadsheet would run as a formula gets a leading quote (CSV injection).
function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The entries as CSV (RFC 4180, header row, ISO times, redactions as `kind:count;…`; `kind` is
 * `fetch`, `websocket`, or `websocket (open)` for a still-open socket's periodic entry).
 */
export function ledgerToCsv(entries: readonly LedgerEntry[]): string {
  const rows = entries.map((e) =>
    [
      new Date(e.at).toISOString(),
      e.host,
      e.method,
      e.purpose,
      e.status === undefined ? '' : String(e.status),
      e.failure ?? '',
      String(e.bytesSent),
      String(e.bytesReceived),
      e.conversationId ?? '',
      (e.redactions ?? []).map((r) => `${r.kind}:${r.count}`).join(';'),
      e.origin,
      e.kind === undefined ? 'fetch' : e.ongoing ? `${e.kind} (open)` : e.kind,
      e.durationMs === undefined ? '' : String(e.durationMs),
    ]
      .map(csvCell)
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** The entries as versioned JSON. */
export function ledgerToJson(entries: readonly LedgerEntry[]): string {
  return JSON.stringify({ format: 'nook-ledger', version: 1, entries }, null, 2);
}

/** Creates the ledger store; `record` is the sink handed to the ledger fetch. */
export function createLedgerStore(deps: { repo: RecordRepo<LedgerEntry> }) {
  const listeners = new Set<() => void>();
  return {
    async record(entry: LedgerEntry): Promise<void> {
      await deps.repo.put(entry.id, entry);
      for (const l of listeners) l();
    },
    /** Every readable entry, newest first (a damaged record is skipped, not invented). */
    async list(filter: LedgerFilter = {}): Promise<LedgerEntry[]> {
      const query =
        filter.from !== undefined || filter.to !== undefined
          ? {
              kind: 'between' as const,
              index: 'at',
              lower: filter.from ?? 0,
              upper: filter.to ?? Number.MAX_SAFE_INTEGER,
            }
          : undefined;
      const rows = await deps.repo.list(query);
      return filterLedger(
        rows.flatMap((r) => (r.ok ? [r.value] : [])),
        filter,
      );
    },
    /** Deletes every entry (the tombstones keep no host or size). */
    async clear(): Promise<void> {
      for (const r of await deps.repo.list()) await deps.repo.delete(r.id);
      for (const l of listeners) l();
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  } satisfies LedgerSink & Record<string, unknown>;
}

export type LedgerStore = ReturnType<typeof createLedgerStore>;
