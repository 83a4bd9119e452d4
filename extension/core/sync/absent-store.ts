/**
 * A {@link LocalRecordStore} decorator that skips reads of records known to be absent. When
 * the store holds no record at all the first time it is used (`isEmpty()`, one key read), a
 * record this decorator has not committed since cannot exist, so `getRecord`/`getRecords`
 * answer `undefined` for it without touching storage: a first sync of 10,000 records issues
 * no per-record reads. Every key committed (or being committed) is read normally from then on.
 * Likewise `listSeen` (the manifest check's view of every record) is answered from the seen
 * versions this decorator committed, while every commit so far succeeded and none is running:
 * the store then holds exactly those rows, and reading them back (10,000 envelopes) is saved.
 * And the outbox (read by every pulled page) is read once, then kept in step with the commits.
 *
 * Sound only while every write to the store goes through this decorator: the engine wraps
 * its store once (sync-engine.ts) and all its writes (pulls, pushes, local writes) use that
 * reference, and one engine runs per profile (the sync leader lock). A store cleared behind
 * its back only makes some reads real ones, which is always correct.
 */
import type { LocalRecord, LocalRecordStore, OutboxOp, RecordKey, SeenEntry } from './ports';

const keyOf = (k: RecordKey) => `${k.collection}\u0000${k.id}`;

/** Wraps `store`; a store without `isEmpty` is passed through unchanged. */
export function skipAbsentReads(store: LocalRecordStore): LocalRecordStore {
  if (store.isEmpty === undefined) return store;
  const isEmpty = store.isEmpty.bind(store);
  /** Keys committed through this decorator (reads of them are real). */
  const committed = new Set<string>();
  let startedEmpty: Promise<boolean> | undefined;
  /** The seen version of every record committed, while that is all the store holds. */
  const seen = new Map<string, SeenEntry>();
  let exact = true;
  let running = 0;
  /** The outbox as stored, once read with no commit running (undefined: read it). */
  let outbox: Map<string, OutboxOp> | undefined;
  /** Bumped by every commit that ends, so a read that raced one is not kept. */
  let commits = 0;

  async function listOutbox(): Promise<OutboxOp[]> {
    if (outbox === undefined) {
      const before = commits;
      const ops = await store.listOutbox();
      if (running === 0 && commits === before) outbox = new Map(ops.map((o) => [o.opId, o]));
      return ops;
    }
    return [...outbox.values()].map((o) => ({ ...o }));
  }

  /** Whether the store was empty when first used (checked once; a failure means "not known"). */
  function tracking(): Promise<boolean> {
    startedEmpty ??= isEmpty().catch(() => false);
    return startedEmpty;
  }

  async function getRecords(keys: readonly RecordKey[]): Promise<(LocalRecord | undefined)[]> {
    if (!(await tracking())) return store.getRecords(keys);
    const present = keys.filter((k) => committed.has(keyOf(k)));
    if (present.length === 0) return keys.map(() => undefined);
    const found = await store.getRecords(present);
    const byKey = new Map(present.map((k, i) => [keyOf(k), found[i]]));
    return keys.map((k) => byKey.get(keyOf(k)));
  }

  return {
    async getRecord(collection, id) {
      if ((await tracking()) && !committed.has(keyOf({ collection, id }))) return undefined;
      return store.getRecord(collection, id);
    },
    getRecords,
    listRecords: (collection) => store.listRecords(collection),
    async listSeen() {
      if (!exact || running > 0 || !(await tracking())) return store.listSeen();
      return [...seen.values()].map((e) => ({ ...e }));
    },
    listDirty: (limit) => store.listDirty(limit),
    listOutbox,
    getState: () => store.getState(),
    isEmpty,
    commit(change) {
      // Noted before the write starts, whether or not it succeeds: a read racing the commit,
      // or following a failed one, goes to storage (never wrong, only slower).
      const records = change.records ?? [];
      for (const r of records) committed.add(keyOf(r));
      running += 1;
      return store.commit(change).then(
        () => {
          running -= 1;
          commits += 1;
          for (const opId of change.outboxDelete ?? []) outbox?.delete(opId);
          for (const op of change.outboxPut ?? []) outbox?.set(op.opId, { ...op });
          for (const r of records) {
            seen.set(keyOf(r), { collection: r.collection, id: r.id, seen: r.seen });
          }
        },
        (error: unknown) => {
          running -= 1;
          commits += 1;
          exact = false; // what the store holds is not known any more
          outbox = undefined;
          throw error;
        },
      );
    },
  };
}
