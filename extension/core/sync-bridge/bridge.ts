/**
 * The sync bridge: keeps the app's encrypted record repos and the sync engine's store in
 * step, by reconciliation rather than by hooking every write. Each pass:
 *
 * 1. **local → engine**: every repo row whose revision differs from the one last mirrored
 *    (the "mark") is a local change: changed fields go to `setFields`, deletes to `remove`.
 *    It is a 3-way diff (mirror-stamps.ts): a field the relay changed since the last mirror
 *    (its engine stamp moved) is not sent, so a stale repo value never overwrites a remote
 *    edit that step 3 has not applied yet; the same field edited on both sides ends with
 *    the remote value. A live row whose record the relay deleted meanwhile loses to the delete.
 * 2. `engine.sync()` (pull, merge, push, manifest).
 * 3. **engine → local**: every engine value that differs from the repo is written back with
 *    `put`/`delete`, and the new repo revision becomes the mark, so it is not echoed.
 *
 * Reconciling (instead of decorating `RecordRepo.put`) means writes made in any extension
 * page are picked up by the one page that runs sync, and a crash between the steps loses
 * nothing: an unmarked revision is simply mirrored again next pass. With `localChanges:
 * 'noted'`, step 1 reads only the rows reported through `noteLocal` (plus every row on the
 * first pass, after a failure, and on `rescanLocal`), so an idle poll reads nothing.
 * Steps 1 and 3 live in bridge-out.ts and bridge-in.ts.
 *
 * Step 3 streams: while the engine pulls, the values it reports (`noteRemote` with a value)
 * are written into the repos page by page, so a first sync of thousands of records stores
 * them as they arrive instead of after the whole pull. The full comparison a bridge makes
 * once (and after a failure) runs before the pass's pull, where it is cheap for a new browser.
 */
import type { SyncedValue, SyncEngine } from '../sync/sync-engine';
import { applyAll, applyNoted, type ApplyInContext, type RemoteNote } from './bridge-in';
import { mirrorOut } from './bridge-out';
import { stampBook, type MirrorStamps, type StampBook } from './mirror-stamps';

export { WRITE_BATCH } from './bridge-in';
export { MIRROR_BATCH } from './bridge-out';

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
  /** Several rows in one read, in the order asked (no decryption); else `row` per id. */
  rowsOf?(ids: readonly string[]): Promise<(LocalRow | undefined)[]>;
  /** Decrypts one live record; throws when it cannot be read (it is then skipped). */
  read(id: string): Promise<unknown>;
  /** Decrypts several live records (one read, opened concurrently); else `read` per id. */
  readMany?(ids: readonly string[]): Promise<ReadResult[]>;
  /** Writes a value; returns the new revision. */
  write(id: string, value: unknown): Promise<number>;
  /** Writes several values in one transaction (distinct ids); returns their new revisions. */
  writeMany(entries: readonly { id: string; value: unknown }[]): Promise<number[]>;
  /** Writes records known to be new (rev 1, no read); throws when any exists (then use writeMany). */
  addMany?(entries: readonly { id: string; value: unknown }[]): Promise<number[]>;
  /** Deletes; returns the tombstone's revision, or undefined if nothing was there. */
  remove(id: string): Promise<number | undefined>;
}

/** One record of {@link BridgeCollection.readMany}: its value, or unreadable (skipped). */
export type ReadResult = { ok: true; value: unknown } | { ok: false };

/** Remembers, per record, the repo revision last mirrored to or from the engine. */
export interface MarkStore {
  load(): Promise<Record<string, number>>;
  save(marks: Record<string, number>): Promise<void>;
  /**
   * The engine's field stamps at the last mirror (the 3-way diff's base, mirror-stamps.ts),
   * kept beside the marks. Without them step 1 diffs against the engine alone.
   */
  loadStamps?(): Promise<MirrorStamps>;
  /** Called only when some base changed. */
  saveStamps?(stamps: MirrorStamps): Promise<void>;
}

/** What one bridge pass did (counts only: nothing about content). */
export interface BridgeReport {
  mirroredOut: number;
  appliedIn: number;
  skipped: number;
}

/** Options of {@link createSyncBridge}. */
export interface SyncBridgeOptions {
  /** Its `onRemoteApplied` must call this bridge's `noteRemote` (with the value). */
  engine: Pick<SyncEngine, 'writeMany' | 'read' | 'readMany' | 'list' | 'sync'>;
  collections: readonly BridgeCollection[];
  /** Collections mirrored as whole bodies (keep-both memory) instead of LWW fields. */
  bodyCollections?: ReadonlySet<string>;
  marks: MarkStore;
  /**
   * 'scan' (default): step 1 compares every repo row each pass. 'noted': only rows reported
   * through `noteLocal`, plus a full scan on the first pass, after a failed step 1 and after
   * `rescanLocal()` (the caller must report every repo write, or rescan now and then).
   */
  localChanges?: 'scan' | 'noted';
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
  /**
   * Wire to the engine's `onRemoteApplied`: the record changed because of the relay. With
   * `known`, its new value (undefined: deleted) is written as is, without reading the engine.
   */
  noteRemote(collection: string, id: string, known?: { value: SyncedValue | undefined }): void;
  /** A repo write happened to `ids` of `collection` (undefined: unknown which). */
  noteLocal(collection: string, ids: readonly string[] | undefined): void;
  /** The next step 1 compares every repo row again (a safety net for unreported writes). */
  rescanLocal(): void;
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
  const noted = new Map<string, Map<string, RemoteNote>>();
  // Per collection, the repo ids the last full comparison saw plus those written since.
  const present = new Map<string, Set<string>>();
  // Wakes the stream of step 3 when a note arrives.
  let wake: (() => void) | undefined;
  // Step 1 likewise: a full scan until one succeeded, then only reported rows ('noted').
  let fullLocal = true;
  const notedLocal = new Map<string, Set<string> | 'all'>();

  /** The repo rows step 1 must look at: every row, or just the reported ones. */
  async function rowsToMirror(c: BridgeCollection, everything: boolean) {
    const reported = notedLocal.get(c.name);
    // Taken before reading: a write reported meanwhile is looked at again next pass.
    notedLocal.delete(c.name);
    if (everything || reported === 'all') return c.rows();
    if (reported === undefined) return [];
    const ids = [...reported];
    const rows = c.rowsOf ? await c.rowsOf(ids) : await Promise.all(ids.map((id) => c.row(id)));
    return rows.flatMap((r) => r ?? []);
  }

  async function withMarks<T>(
    fn: (marks: Record<string, number>, stamps: StampBook) => Promise<T>,
  ): Promise<T> {
    const loaded = await o.marks.load();
    const stamps = stampBook((await o.marks.loadStamps?.()) ?? {});
    // Saved only when a mark moved: a pass has three steps, and an idle poll changes nothing
    // (the marks of a large vault are one object of 10,000+ entries).
    let changed = false;
    const marks = new Proxy(loaded, {
      set(target, key: string, rev: number) {
        if (target[key] !== rev) changed = true;
        target[key] = rev;
        return true;
      },
    });
    try {
      return await fn(marks, stamps);
    } finally {
      // Saved even after a failure: marks only ever record work that really happened.
      if (changed) await o.marks.save(loaded);
      if (stamps.changed) await o.marks.saveStamps?.(stamps.all);
    }
  }

  const pushLocal = () =>
    withMarks(async (marks, stamps) => {
      const everything = fullLocal || o.localChanges !== 'noted';
      fullLocal = false;
      const ctx = {
        engine: o.engine,
        bodyCollections: o.bodyCollections,
        marks,
        stamps,
        skip: () => void (skipped += 1),
      };
      let n = 0;
      try {
        for (const c of o.collections)
          n += await mirrorOut(ctx, c, await rowsToMirror(c, everything));
      } catch (e) {
        fullLocal = true;
        throw e;
      }
      return n;
    });
  /**
   * Takes the notes of `c` (with `knownOnly`, just those carrying a value), applies them, and
   * puts back what was not applied, as "read the engine's value then", unless a newer note
   * arrived meanwhile.
   */
  async function applyTaken(ctx: ApplyInContext, c: BridgeCollection, knownOnly: boolean) {
    const all = noted.get(c.name);
    if (all === undefined) return 0;
    const taken = new Map<string, RemoteNote>();
    for (const [id, note] of all) {
      if (knownOnly && note === undefined) continue;
      taken.set(id, note);
      all.delete(id);
    }
    if (all.size === 0) noted.delete(c.name);
    try {
      return await applyNoted(ctx, c, taken);
    } finally {
      for (const id of taken.keys()) {
        let left = noted.get(c.name);
        if (left === undefined) noted.set(c.name, (left = new Map()));
        if (!left.has(id)) left.set(id, undefined);
      }
    }
  }

  const applyRemote = () =>
    withMarks(async (marks, stamps) => {
      const ctx: ApplyInContext = { engine: o.engine, marks, stamps, present };
      let n = 0;
      if (full) {
        // The comparison reads the engine's values now: earlier notes are covered by it.
        noted.clear();
        for (const c of o.collections) n += await applyAll(ctx, c);
        full = false;
        return n;
      }
      for (const c of o.collections) n += await applyTaken(ctx, c, false);
      return n;
    });

  /** Step 3 while the engine syncs: applies noted values as they arrive, until stopped. */
  function streamIn(): { stop(): Promise<number> } {
    let stopped = false;
    const waiting = () => o.collections.filter((c) => noted.has(c.name));
    const loop = withMarks(async (marks, stamps) => {
      const ctx: ApplyInContext = { engine: o.engine, marks, stamps, present };
      let n = 0;
      for (;;) {
        const known = waiting().filter((c) => [...noted.get(c.name)!.values()].some(Boolean));
        if (known.length === 0) {
          if (stopped) return n;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        for (const c of known) n += await applyTaken(ctx, c, true);
      }
    });
    loop.catch(() => undefined); // awaited by stop(); a failure must not go unhandled meanwhile
    return {
      stop() {
        stopped = true;
        wake?.();
        return loop;
      },
    };
  }

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
        let appliedIn = 0;
        if (full) {
          try {
            appliedIn += await applyRemote();
          } catch (e) {
            full = true;
            throw e;
          }
        }
        const stream = streamIn();
        let failure: unknown;
        try {
          await o.engine.sync();
        } catch (e) {
          failure = e;
        }
        // Whatever the relay delivered before a failure is applied all the same.
        try {
          appliedIn += await stream.stop();
          appliedIn += await applyRemote();
        } catch (e) {
          full = true;
          throw failure ?? e;
        }
        if (failure !== undefined) throw failure;
        return { mirroredOut, appliedIn, skipped };
      }),
    noteRemote(collection, id, known) {
      let notes = noted.get(collection);
      if (notes === undefined) noted.set(collection, (notes = new Map()));
      notes.delete(id); // re-inserted last: the newest note of a record is applied last
      notes.set(id, known);
      wake?.();
    },
    noteLocal(collection, ids) {
      if (!o.collections.some((c) => c.name === collection)) return; // not mirrored
      const known = notedLocal.get(collection);
      if (known === 'all') return;
      if (ids === undefined) {
        notedLocal.set(collection, 'all');
        return;
      }
      const set = known ?? new Set<string>();
      for (const id of ids) set.add(id);
      notedLocal.set(collection, set);
    },
    rescanLocal() {
      fullLocal = true;
    },
  };
}
