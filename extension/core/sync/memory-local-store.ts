/**
 * In-memory {@link LocalRecordStore} for tests and for the fake-relay scenarios. Values are
 * deep-copied in and out, like a real database, so tests cannot alias engine state.
 */
import type { LocalRecord, LocalRecordStore, OutboxOp, SyncState } from './ports';

const key = (collection: string, id: string) => `${collection}\u0000${id}`;

/** Creates an empty in-memory store. `records` is exposed for assertions. */
export function createMemoryLocalStore(): LocalRecordStore & {
  records: Map<string, LocalRecord>;
  outbox: Map<string, OutboxOp>;
} {
  const records = new Map<string, LocalRecord>();
  const outbox = new Map<string, OutboxOp>();
  let state: SyncState | undefined;
  return {
    records,
    outbox,
    async getRecord(collection, id) {
      const r = records.get(key(collection, id));
      return r && structuredClone(r);
    },
    async getRecords(keys) {
      return keys.map((k) => {
        const r = records.get(key(k.collection, k.id));
        return r && structuredClone(r);
      });
    },
    async listRecords(collection) {
      return [...records.values()]
        .filter((r) => collection === undefined || r.collection === collection)
        .map((r) => structuredClone(r));
    },
    async listSeen() {
      return [...records.values()].map((r) => ({
        collection: r.collection,
        id: r.id,
        seen: r.seen && { ...r.seen },
      }));
    },
    async listDirty(limit) {
      const dirty = [...records.values()].filter((r) => r.dirty);
      return dirty.slice(0, limit ?? dirty.length).map((r) => structuredClone(r));
    },
    async listOutbox() {
      return [...outbox.values()].map((o) => structuredClone(o));
    },
    async getState() {
      return state && structuredClone(state);
    },
    async commit(change) {
      // Copy everything first so a throwing structuredClone leaves the store untouched.
      const recs = (change.records ?? []).map((r) => structuredClone(r));
      const puts = (change.outboxPut ?? []).map((o) => structuredClone(o));
      const next = change.state && structuredClone(change.state);
      for (const r of recs) records.set(key(r.collection, r.id), r);
      for (const id of change.outboxDelete ?? []) outbox.delete(id);
      for (const o of puts) outbox.set(o.opId, o);
      if (next !== undefined) state = next;
    },
  };
}
