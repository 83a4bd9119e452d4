/**
 * Local writes of the sync engine: each stamps the device's HLC and marks the record dirty
 * (queued for the relay). A batch of writes to one collection is one store read and one
 * commit (one IndexedDB transaction), which is what lets a browser with thousands of records
 * link without thousands of transactions.
 */
import { SyncError } from './errors';
import { serializeHlc, type HlcClock } from './hlc';
import { mergeFields } from './merge';
import type { LocalRecord, LocalRecordStore, SyncState } from './ports';
import {
  sameJson,
  type FieldsDoc,
  type JsonValue,
  type MergePolicy,
  type SyncDoc,
} from './sync-doc';

/** One local change to a record of a collection. */
export type LocalChange =
  | { id: string; fields: Record<string, JsonValue> }
  | { id: string; body: JsonValue }
  | { id: string; remove: true };

/** What the writer needs from the engine. */
export interface LocalWriterDeps {
  store: LocalRecordStore;
  load(): Promise<{ state: SyncState; clock: HlcClock }>;
  /** The engine's store lock. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  policyOf(collection: string): MergePolicy | undefined;
  /** Called after a commit (schedules a background pass). */
  written(): void;
}

function policyFor(deps: LocalWriterDeps, collection: string, kind: SyncDoc['kind']): MergePolicy {
  const p = deps.policyOf(collection);
  const ok = p !== undefined && (p === 'lww') === (kind === 'fields');
  if (!ok) {
    throw new SyncError('invalid-write', 'This collection does not take that kind of write.', {
      collection,
    });
  }
  return p;
}

/** The record after `change` (stamped `hlc`), or undefined when nothing changes. */
function edit(
  deps: LocalWriterDeps,
  rec: LocalRecord,
  change: LocalChange,
  hlc: string,
): LocalRecord | undefined {
  const { collection, id } = rec;
  if (rec.deleted) {
    // Deleting a deleted record changes nothing (e.g. deleted here and by another device).
    if ('remove' in change) return undefined;
    throw new SyncError('invalid-write', 'A deleted record cannot be written again.', {
      collection,
      id,
    });
  }
  if ('remove' in change) return { ...rec, doc: undefined, deleted: true };
  if ('fields' in change) {
    policyFor(deps, collection, 'fields');
    const patch: FieldsDoc = { v: 1, kind: 'fields', fields: {} };
    for (const [k, value] of Object.entries(change.fields)) patch.fields[k] = { value, hlc };
    const base: FieldsDoc =
      rec.doc?.kind === 'fields' ? rec.doc : { v: 1, kind: 'fields', fields: {} };
    return { ...rec, doc: mergeFields(base, patch) };
  }
  const policy = policyFor(deps, collection, 'body');
  if (policy === 'immutable' && rec.doc !== undefined) {
    if (rec.doc.kind === 'body' && sameJson(rec.doc.body, change.body)) return undefined;
    throw new SyncError('invalid-write', 'Messages cannot be changed once written.', {
      collection,
      id,
    });
  }
  return { ...rec, doc: { v: 1, kind: 'body', body: change.body, hlc } };
}

/**
 * Applies `changes` (distinct ids) to one collection in order, in one commit. A change that
 * is refused stops the batch: the changes before it are committed, then the refusal thrown
 * (as writing them one by one would).
 */
export async function writeLocal(
  deps: LocalWriterDeps,
  collection: string,
  changes: readonly LocalChange[],
): Promise<void> {
  if (changes.length === 0) return;
  let refusal: { error: unknown } | undefined;
  const wrote = await deps.exclusive(async () => {
    const { state, clock } = await deps.load();
    const stored = await deps.store.getRecords(changes.map((c) => ({ collection, id: c.id })));
    const records: LocalRecord[] = [];
    for (const [i, change] of changes.entries()) {
      const rec: LocalRecord = stored[i] ?? {
        collection,
        id: change.id,
        doc: undefined,
        deleted: false,
        dirty: false,
        localVersion: 0,
        seen: undefined,
      };
      let next: LocalRecord | undefined;
      try {
        next = edit(deps, rec, change, serializeHlc(clock.now()));
      } catch (error) {
        refusal = { error };
        break;
      }
      if (next !== undefined) {
        records.push({ ...next, dirty: true, localVersion: rec.localVersion + 1 });
      }
    }
    if (records.length === 0) return false;
    state.hlc = serializeHlc(clock.peek());
    await deps.store.commit({ records, state: { ...state } });
    return true;
  });
  if (wrote || refusal === undefined) deps.written();
  if (refusal !== undefined) throw refusal.error;
}
