/**
 * Bridge step 3, engine → local: engine values that differ from the repo are written back
 * (in batches of {@link WRITE_BATCH}, one transaction each), and the new repo revisions
 * become the marks, so they are not echoed. The first comparison covers every record; later
 * ones only the records the engine reported changed by the relay ("noted"), usually with
 * their new values, so nothing is read back from the engine. Records the repo is known not to
 * hold are added without reading their rows first (`addMany`). Each record brought in line (or
 * found equal) gets the engine's stamps as its base for step 1's 3-way diff.
 */
import type { SyncedValue, SyncEngine } from '../sync/sync-engine';
import type { JsonValue } from '../sync/sync-doc';
import { markKey } from './bridge-out';
import type { BridgeCollection, LocalRow } from './bridge';
import { canonicalJson, toJsonObject, withoutNullFields } from './json-diff';
import { stampsBase, type StampBook } from './mirror-stamps';

/** Relay values written to a repo per transaction (a first sync brings thousands). */
export const WRITE_BATCH = 500;

/**
 * What the engine reported about a noted record: its value after the relay's change
 * (`value` undefined: deleted), or `undefined` when not known (read from the engine).
 */
export type RemoteNote = { value: SyncedValue | undefined } | undefined;

/** What step 3 needs. */
export interface ApplyInContext {
  engine: Pick<SyncEngine, 'read' | 'readMany' | 'list'>;
  marks: Record<string, number>;
  /** The 3-way diff's bases (mirror-stamps.ts). */
  stamps: StampBook;
  /**
   * Per collection, the repo ids seen by the last full comparison plus those written since:
   * an id outside it is most likely new, so it is added without a read (`addMany`, which
   * refuses if the row exists after all; then the normal path runs).
   */
  present: Map<string, Set<string>>;
}

/** Records its mark and base once `id` holds the engine's value at revision `rev`. */
function mirrored(ctx: ApplyInContext, c: BridgeCollection, id: string, rev: number, base: string) {
  ctx.marks[markKey(c.name, id)] = rev;
  ctx.stamps.set(markKey(c.name, id), base);
}

/** Relay values waiting to be written to one collection; `flush` records marks and bases. */
function writeBatch(c: BridgeCollection, ctx: ApplyInContext) {
  const entries: { id: string; value: JsonValue; base: string }[] = [];
  const flush = async () => {
    if (entries.length === 0) return;
    const batch = entries.splice(0);
    const revs = await c.writeMany(batch.map(({ id, value }) => ({ id, value })));
    batch.forEach((e, i) => {
      const rev = revs[i];
      if (rev !== undefined) mirrored(ctx, c, e.id, rev, e.base);
    });
  };
  return {
    flush,
    async add(id: string, value: JsonValue, base: string) {
      entries.push({ id, value, base });
      if (entries.length >= WRITE_BATCH) await flush();
    },
  };
}
type WriteBatch = ReturnType<typeof writeBatch>;

/**
 * The repo value for an engine record (no null fields, an `id` field set to the record's: a
 * keep-both copy has a new id) and its step-1 base.
 */
function inbound(remote: SyncedValue, id: string) {
  const value = withoutNullFields(remote.value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { value, base: stampsBase({}, remote) };
  }
  const withId = Object.hasOwn(value, 'id') ? { ...value, id } : value;
  return { value: withId, base: stampsBase(withId, remote) };
}

/**
 * Brings one repo record in line with the engine's record (undefined: deleted/absent).
 * Writes go to `batch` (their marks are set when it is flushed); deletes happen at once.
 */
async function applyOne(
  c: BridgeCollection,
  id: string,
  local: LocalRow | undefined,
  remote: SyncedValue | undefined,
  ctx: ApplyInContext,
  batch: WriteBatch,
): Promise<number> {
  const { marks, stamps } = ctx;
  const key = markKey(c.name, id);
  if (remote === undefined) {
    if (local === undefined || local.deleted) stamps.set(key, undefined);
    // A live, already-mirrored local row the engine no longer has was deleted remotely.
    if (local === undefined || local.deleted || marks[key] !== local.rev) return 0;
    const rev = await c.remove(id);
    if (rev !== undefined) marks[key] = rev;
    stamps.set(key, undefined);
    return 1;
  }
  const { value, base } = inbound(remote, id);
  // A local change not mirrored yet, or a local delete: the next push handles it.
  if (local !== undefined && (local.deleted || marks[key] !== local.rev)) return 0;
  if (local !== undefined) {
    let same: boolean;
    try {
      same = canonicalJson(toJsonObject(await c.read(id))) === canonicalJson(value);
    } catch {
      same = false; // An unreadable local row is replaced by the remote value.
    }
    if (same) {
      // In step already (e.g. the relay re-stamped a field with the same value).
      stamps.set(key, base);
      return 0;
    }
  }
  await batch.add(id, value, base);
  return 1;
}

/** The present-id set of `c` (created empty: nothing known). */
function presentOf(ctx: ApplyInContext, c: BridgeCollection): Set<string> {
  let ids = ctx.present.get(c.name);
  if (ids === undefined) ctx.present.set(c.name, (ids = new Set()));
  return ids;
}

/** Compares every engine record of `c` with the repo. */
export async function applyAll(ctx: ApplyInContext, c: BridgeCollection): Promise<number> {
  let n = 0;
  const rows = new Map((await c.rows()).map((r) => [r.id, r]));
  ctx.present.set(c.name, new Set(rows.keys()));
  const remote = new Map((await ctx.engine.list(c.name)).map((r) => [r.id, r]));
  const batch = writeBatch(c, ctx);
  for (const [id, record] of remote) {
    n += await applyOne(c, id, rows.get(id), record, ctx, batch);
  }
  for (const id of rows.keys()) {
    if (!remote.has(id)) n += await applyOne(c, id, rows.get(id), undefined, ctx, batch);
  }
  await batch.flush();
  for (const id of remote.keys()) presentOf(ctx, c).add(id);
  return n;
}

/**
 * Adds the `ids` (known values, believed new) in one `addMany`. Returns false when the
 * collection cannot, or refused (a row existed after all): the caller takes the normal path.
 */
async function addFresh(
  ctx: ApplyInContext,
  c: BridgeCollection,
  ids: readonly string[],
  taken: Map<string, RemoteNote>,
): Promise<boolean> {
  if (c.addMany === undefined || ids.length === 0) return false;
  const entries = ids.map((id) => ({ id, ...inbound(taken.get(id)!.value!, id) }));
  let revs: number[];
  try {
    revs = await c.addMany(entries.map(({ id, value }) => ({ id, value })));
  } catch {
    return false;
  }
  const present = presentOf(ctx, c);
  entries.forEach(({ id, base }, i) => {
    const rev = revs[i];
    if (rev !== undefined) mirrored(ctx, c, id, rev, base);
    present.add(id);
    taken.delete(id);
  });
  return true;
}

/**
 * Applies noted records of `c` taken from the bridge's notes. Each id handled is removed from
 * `taken`; what is left was edited here since the last mirror and stays noted until the next
 * push mirrored it. Returns how many repo records changed.
 */
export async function applyNoted(
  ctx: ApplyInContext,
  c: BridgeCollection,
  taken: Map<string, RemoteNote>,
): Promise<number> {
  let n = 0;
  const present = presentOf(ctx, c);
  const fresh = [...taken.keys()].filter(
    (id) => taken.get(id)?.value !== undefined && !present.has(id),
  );
  const chunks = Array.from({ length: Math.ceil(fresh.length / WRITE_BATCH) }, (_, i) =>
    fresh.slice(i * WRITE_BATCH, (i + 1) * WRITE_BATCH),
  );
  // Added concurrently (distinct ids): sealing one batch overlaps storing another.
  const added = await Promise.all(chunks.map((chunk) => addFresh(ctx, c, chunk, taken)));
  added.forEach((ok, i) => ok && (n += chunks[i]!.length));
  const ids = [...taken.keys()];
  for (let i = 0; i < ids.length; i += WRITE_BATCH) {
    const rest = ids.slice(i, i + WRITE_BATCH);
    const unknown = rest.filter((id) => taken.get(id) === undefined);
    const [rows, read] = await Promise.all([
      c.rowsOf ? c.rowsOf(rest) : Promise.all(rest.map((id) => c.row(id))),
      unknown.length > 0 ? ctx.engine.readMany(c.name, unknown) : [],
    ]);
    const readValue = new Map(unknown.map((id, j) => [id, read[j]]));
    const batch = writeBatch(c, ctx);
    for (const [j, id] of rest.entries()) {
      const local = rows[j];
      // Edited here since the last mirror: kept noted until the next push mirrored it.
      // Its value is re-read then: the push merges the local edit into the engine's.
      if (local !== undefined && !local.deleted && ctx.marks[markKey(c.name, id)] !== local.rev) {
        taken.set(id, undefined);
        continue;
      }
      const note = taken.get(id);
      const remote = note === undefined ? readValue.get(id) : note.value;
      n += await applyOne(c, id, local, remote, ctx, batch);
      if (remote !== undefined) present.add(id);
      taken.delete(id);
    }
    // A failed flush fails the pass, and the next one compares everything again.
    await batch.flush();
  }
  return n;
}
