/**
 * Bridge step 3, engine → local: engine values that differ from the repo are written back
 * (in batches of {@link WRITE_BATCH}, one transaction each), and the new repo revisions
 * become the marks, so they are not echoed. The first comparison covers every record; later
 * ones only the records the engine reported changed by the relay.
 */
import type { SyncEngine } from '../sync/sync-engine';
import type { JsonValue } from '../sync/sync-doc';
import { markKey } from './bridge-out';
import type { BridgeCollection, LocalRow } from './bridge';
import { canonicalJson, toJsonObject, withoutNullFields } from './json-diff';

/** Relay values written to a repo per transaction (a first sync brings thousands). */
export const WRITE_BATCH = 500;

/** What step 3 needs. */
export interface ApplyInContext {
  engine: Pick<SyncEngine, 'read' | 'list'>;
  marks: Record<string, number>;
}

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

/** Compares every engine record of `c` with the repo. */
export async function applyAll(ctx: ApplyInContext, c: BridgeCollection): Promise<number> {
  let n = 0;
  const rows = new Map((await c.rows()).map((r) => [r.id, r]));
  const remote = new Map((await ctx.engine.list(c.name)).map((r) => [r.id, r.value]));
  const batch = writeBatch(c, ctx.marks);
  for (const [id, value] of remote) {
    n += await applyOne(c, id, rows.get(id), value, ctx.marks, batch);
  }
  for (const id of rows.keys()) {
    if (!remote.has(id)) n += await applyOne(c, id, rows.get(id), undefined, ctx.marks, batch);
  }
  await batch.flush();
  return n;
}

/** Compares the `noted` records of `c`; each id handled is removed from `noted`. */
export async function applyNoted(
  ctx: ApplyInContext,
  c: BridgeCollection,
  noted: Set<string>,
): Promise<number> {
  let n = 0;
  const batch = writeBatch(c, ctx.marks);
  for (const id of [...noted]) {
    const local = await c.row(id);
    // Edited here since the last mirror: kept noted until the next push mirrored it.
    if (local !== undefined && !local.deleted && ctx.marks[markKey(c.name, id)] !== local.rev) {
      continue;
    }
    const remote = await ctx.engine.read(c.name, id);
    n += await applyOne(c, id, local, remote?.value, ctx.marks, batch);
    // A failed flush fails the pass, and the next one compares everything again.
    noted.delete(id);
  }
  await batch.flush();
  return n;
}
