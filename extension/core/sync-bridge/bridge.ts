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
  /** Decrypts one live record; throws when it cannot be read (it is then skipped). */
  read(id: string): Promise<unknown>;
  /** Writes a value; returns the new revision. */
  write(id: string, value: unknown): Promise<number>;
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
  engine: Pick<SyncEngine, 'setFields' | 'remove' | 'read' | 'list' | 'sync'>;
  collections: readonly BridgeCollection[];
  marks: MarkStore;
}

/** The bridge. */
export interface SyncBridge {
  /** Mirrors local changes into the engine (step 1 only; no network). */
  pushLocal(): Promise<number>;
  /** Applies engine values to the repos (step 3 only; no network). */
  applyRemote(): Promise<number>;
  /** One full pass: local → engine, sync, engine → local. Passes never overlap. */
  run(): Promise<BridgeReport>;
}

const markKey = (collection: string, id: string) => `${collection}/${id}`;

/** Creates a bridge. All collections use field-level last-writer-wins documents. */
export function createSyncBridge(o: SyncBridgeOptions): SyncBridge {
  let chain: Promise<unknown> = Promise.resolve();
  let skipped = 0;

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
      const fields = changedFields(current?.value, value);
      if (Object.keys(fields).length > 0) {
        await o.engine.setFields(c.name, row.id, fields);
        n++;
      }
      marks[key] = row.rev;
    }
    return n;
  }

  async function applyCollection(c: BridgeCollection, marks: Record<string, number>) {
    let n = 0;
    const rows = new Map((await c.rows()).map((r) => [r.id, r]));
    const remote = await o.engine.list(c.name);
    const remoteIds = new Set<string>();
    for (const r of remote) {
      remoteIds.add(r.id);
      const value = withoutNullFields(r.value);
      const local = rows.get(r.id);
      // A local change not mirrored yet, or a local delete: the next push handles it.
      if (local !== undefined && (local.deleted || marks[markKey(c.name, r.id)] !== local.rev)) {
        continue;
      }
      if (local !== undefined) {
        let same: boolean;
        try {
          same = canonicalJson(toJsonObject(await c.read(r.id))) === canonicalJson(value);
        } catch {
          same = false; // An unreadable local row is replaced by the remote value.
        }
        if (same) continue;
      }
      marks[markKey(c.name, r.id)] = await c.write(r.id, value);
      n++;
    }
    // Live, already-mirrored local rows the engine no longer lists were deleted remotely.
    for (const local of rows.values()) {
      const key = markKey(c.name, local.id);
      if (local.deleted || remoteIds.has(local.id) || marks[key] !== local.rev) continue;
      const rev = await c.remove(local.id);
      if (rev !== undefined) marks[key] = rev;
      n++;
    }
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
      let n = 0;
      for (const c of o.collections) n += await applyCollection(c, marks);
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
        await o.engine.sync();
        const appliedIn = await applyRemote();
        return { mirroredOut, appliedIn, skipped };
      }),
  };
}
