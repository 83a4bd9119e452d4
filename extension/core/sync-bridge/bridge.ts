/**
 * The sync bridge: keeps the app's encrypted record repos and the sync engine's store in
 * step, by reconciliation rather than by hooking every write. Each pass:
 *
 * 1. **local → engine**: every repo row whose revision differs from the one last mirrored
 *    (the "mark") is a local change: changed fields go to `setFields`, deletes to `remove`.
 * 2. `engine.sync()` (pull, merge, push, manifest).
 * 3. **engine → local**: every engine value that differs from the repo is written back with
 *    `put`/`delete`, and the new repo revision becomes the mark, so it is not echoed.
 *
 * Reconciling (instead of decorating `RecordRepo.put`) means writes made in any extension
 * page are picked up by the one page that runs sync, and a crash between the steps loses
 * nothing: an unmarked revision is simply mirrored again next pass.
 */
import type { SyncEngine } from '../sync/sync-engine';
import type { JsonValue } from '../sync/sync-doc';
import { canonicalJson, changedFields, toJsonObject, withoutNullFields } from './json-diff';

/** One repo row as the bridge needs it: ids and revisions plain, value decrypted on demand. */
export interface LocalRow {
  id: string;
  rev: number;
  deleted: boolean;
}

/** Port over one collection of the app's repos (adapters implement it over RecordRepo). */
export interface BridgeCollection {
  /** The sync collection name (equals the crypto collection). */
  name: string;
  /** Every row, tombstones included (no decryption). */
  rows(): Promise<LocalRow[]>;
  /** One row (no decryption), or undefined when the repo never had it. */
  row(id: string): Promise<LocalRow | undefined>;
  /** Decrypts one live record; throws when it cannot be read (it is then skipped). */
  read(id: string): Promise<unknown>;
  /** Writes a value; returns the new revision. */
  write(id: string, value: unknown): Promise<number>;
  /** Writes several values in one transaction (distinct ids); returns their new revisions. */
  writeMany(entries: readonly { id: string; value: unknown }[]): Promise<number[]>;
  /** Deletes; returns the tombstone's revision, or undefined if nothing was there. */
  remove(id: string): Promise<number | undefined>;
}

/** Remembers, per record, the repo revision last mirrored to or from the engine. */
export interface MarkStore {
  load(): Promise<Record<string, number>>;
  save(marks: Record<string, number>): Promise<void>;
}

/** What one bridge pass did (counts only: nothing about content). */
export interface BridgeReport {
  mirroredOut: number;
  appliedIn: number;
  skipped: number;
}

/** Options of {@link createSyncBridge}. */
export interface SyncBridgeOptions {
  engine: Pick<SyncEngine, 'setFields' | 'setBody' | 'remove' | 'read' | 'list' | 'sync'>;
  collections: readonly BridgeCollection[];
  /** Collections mirrored as whole bodies (keep-both memory) instead of LWW fields. */
  bodyCollections?: ReadonlySet<string>;
  marks: MarkStore;
}

/** The bridge. */
export interface SyncBridge {
  /** Mirrors local changes into the engine (step 1 only; no network). */
  pushLocal(): Promise<number>;
  /**
   * Applies engine values to the repos (step 3 only; no network). The first call, and any
   * call after a failed pass, compares every record; later ones only the noted records.
   */
  applyRemote(): Promise<number>;
  /** One full pass: local → engine, sync, engine → local. Passes never overlap. */
  run(): Promise<BridgeReport>;
  /** Wire to the engine's `onRemoteApplied`: the record changed because of the relay. */
  noteRemote(collection: string, id: string): void;
}

const markKey = (collection: string, id: string) => `${collection}/${id}`;

/** Relay values written to a repo per transaction (a first sync brings thousands). */
export const WRITE_BATCH = 500;

/** Relay values waiting to be written to one collection; `flush` records their marks. */
function writeBatch(c: BridgeCollection, marks: Record<string, number>) {
  const entries: { id: string; value: JsonValue }[] = [];
  const flush = async () => {
    if (entries.length === 0) return;
    const batch = entries.splice(0);
    const revs = await c.writeMany(batch);
    batch.forEach((e, i) => {
      const rev = revs[i];
      if (rev !== undefined) marks[markKey(c.name, e.id)] = rev;
    });
  };
  return {
    flush,
    async add(id: string, value: JsonValue) {
      entries.push({ id, value });
      if (entries.length >= WRITE_BATCH) await flush();
    },
  };
}
type WriteBatch = ReturnType<typeof writeBatch>;

/** A value carrying an `id` field gets its record's id (a keep-both copy has a new one). */
function withId(value: JsonValue, id: string): JsonValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.hasOwn(value, 'id') ? { ...value, id } : value;
}

/**
 * Creates a bridge. Collections are field-level last-writer-wins documents, except those in
 * `bodyCollections`, mirrored as one body (memory: concurrent edits keep both, the loser
 * arriving as a new record).
 */
export function createSyncBridge(o: SyncBridgeOptions): SyncBridge {
  let chain: Promise<unknown> = Promise.resolve();
  let skipped = 0;
  // Until one complete comparison succeeded, the noted ids are not the whole story.
  let full = true;
  const noted = new Map<string, Set<string>>();

  async function pushCollection(c: BridgeCollection, marks: Record<string, number>) {
    let n = 0;
    for (const row of await c.rows()) {
      const key = markKey(c.name, row.id);
      if (marks[key] === row.rev) continue;
      if (row.deleted) {
        // Only records the engine knows (or may know) need a tombstone.
        if (marks[key] !== undefined || (await o.engine.read(c.name, row.id)) !== undefined) {
          await o.engine.remove(c.name, row.id);
          n++;
        }
        marks[key] = row.rev;
        continue;
      }
      let value: Record<string, JsonValue>;
      try {
        value = toJsonObject(await c.read(row.id));
      } catch {
        // A damaged or non-object record stays local; it is never uploaded.
        skipped++;
        marks[key] = row.rev;
        continue;
      }
      const current = await o.engine.read(c.name, row.id);
      if (o.bodyCollections?.has(c.name) === true) {
        if (current === undefined || canonicalJson(current.value) !== canonicalJson(value)) {
          await o.engine.setBody(c.name, row.id, value);
          n++;
        }
        marks[key] = row.rev;
        continue;
      }
      const fields = changedFields(current?.value, value);
      if (Object.keys(fields).length > 0) {
        await o.engine.setFields(c.name, row.id, fields);
        n++;
      }
      marks[key] = row.rev;
    }
    return n;
  }

  /**
   * Brings one repo record in line with the engine's value (undefined: deleted/absent).
   * Writes go to `batch` (their marks are set when it is flushed); deletes happen at once.
   */
  async function applyOne(
    c: BridgeCollection,
    id: string,
    local: LocalRow | undefined,
    remote: JsonValue | undefined,
    marks: Record<string, number>,
    batch: WriteBatch,
  ): Promise<number> {
    const key = markKey(c.name, id);
    if (remote === undefined) {
      // A live, already-mirrored local row the engine no longer has was deleted remotely.
      if (local === undefined || local.deleted || marks[key] !== local.rev) return 0;
      const rev = await c.remove(id);
      if (rev !== undefined) marks[key] = rev;
      return 1;
    }
    const value = withId(withoutNullFields(remote), id);
    // A local change not mirrored yet, or a local delete: the next push handles it.
    if (local !== undefined && (local.deleted || marks[key] !== local.rev)) return 0;
    if (local !== undefined) {
      let same: boolean;
      try {
        same = canonicalJson(toJsonObject(await c.read(id))) === canonicalJson(value);
      } catch {
        same = false; // An unreadable local row is replaced by the remote value.
      }
      if (same) return 0;
    }
    await batch.add(id, value);
    return 1;
  }

  async function applyAll(c: BridgeCollection, marks: Record<string, number>) {
    let n = 0;
    const rows = new Map((await c.rows()).map((r) => [r.id, r]));
    const remote = new Map((await o.engine.list(c.name)).map((r) => [r.id, r.value]));
    const batch = writeBatch(c, marks);
    for (const [id, value] of remote) {
      n += await applyOne(c, id, rows.get(id), value, marks, batch);
    }
    for (const id of rows.keys()) {
      if (!remote.has(id)) n += await applyOne(c, id, rows.get(id), undefined, marks, batch);
    }
    await batch.flush();
    return n;
  }

  async function applyNoted(c: BridgeCollection, marks: Record<string, number>) {
    const ids = noted.get(c.name);
    if (ids === undefined) return 0;
    let n = 0;
    const batch = writeBatch(c, marks);
    for (const id of [...ids]) {
      const local = await c.row(id);
      // Edited here since the last mirror: kept noted until the next push mirrored it.
      if (local !== undefined && !local.deleted && marks[markKey(c.name, id)] !== local.rev) {
        continue;
      }
      const remote = await o.engine.read(c.name, id);
      n += await applyOne(c, id, local, remote?.value, marks, batch);
      // A failed flush fails the pass, and the next one compares everything again.
      ids.delete(id);
    }
    await batch.flush();
    return n;
  }

  async function withMarks<T>(fn: (marks: Record<string, number>) => Promise<T>): Promise<T> {
    const marks = await o.marks.load();
    try {
      return await fn(marks);
    } finally {
      // Saved even after a failure: marks only ever record work that really happened.
      await o.marks.save(marks);
    }
  }

  const pushLocal = () =>
    withMarks(async (marks) => {
      let n = 0;
      for (const c of o.collections) n += await pushCollection(c, marks);
      return n;
    });
  const applyRemote = () =>
    withMarks(async (marks) => {
      const everything = full;
      let n = 0;
      for (const c of o.collections) {
        n += everything ? await applyAll(c, marks) : await applyNoted(c, marks);
      }
      if (everything) {
        full = false;
        noted.clear();
      }
      return n;
    });

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  }

  return {
    pushLocal: () => serial(pushLocal),
    applyRemote: () => serial(applyRemote),
    run: () =>
      serial(async () => {
        skipped = 0;
        const mirroredOut = await pushLocal();
        let failure: unknown;
        try {
          await o.engine.sync();
        } catch (e) {
          failure = e;
        }
        // Whatever the relay delivered before a failure is applied all the same.
        let appliedIn: number;
        try {
          appliedIn = await applyRemote();
        } catch (e) {
          full = true;
          throw failure ?? e;
        }
        if (failure !== undefined) throw failure;
        return { mirroredOut, appliedIn, skipped };
      }),
    noteRemote(collection, id) {
      let ids = noted.get(collection);
      if (ids === undefined) noted.set(collection, (ids = new Set()));
      ids.add(id);
    },
  };
}
