/**
 * Bridge step 1, local → engine: repo rows whose revision differs from their mark are local
 * changes. A page of them is read in one go (the repo's envelopes opened concurrently, the
 * engine's values in one store read) and mirrored in one engine write (one transaction).
 * The diff is 3-way: fields the relay changed since the last mirror are left to step 3
 * (mirror-stamps.ts); records without a remembered base are diffed against the engine alone.
 */
import type { LocalChange, SyncedValue, SyncEngine } from '../sync/sync-engine';
import type { JsonValue } from '../sync/sync-doc';
import type { BridgeCollection, LocalRow, ReadResult } from './bridge';
import { canonicalJson, changedFields, toJsonObject } from './json-diff';
import { stampsBase, withoutRemoteMoves, type StampBook } from './mirror-stamps';

/** Repo rows mirrored per engine write. */
export const MIRROR_BATCH = 500;

/** `collection/id`: the key of a record's mark. */
export const markKey = (collection: string, id: string) => `${collection}/${id}`;

/** What step 1 needs. */
export interface MirrorOutContext {
  engine: Pick<SyncEngine, 'readMany' | 'writeMany'>;
  bodyCollections: ReadonlySet<string> | undefined;
  marks: Record<string, number>;
  /** The engine's stamps at each record's last mirror (the 3-way diff's base). */
  stamps: StampBook;
  /** Told about each record that could not be read (it stays local). */
  skip(): void;
}

/** Decrypts the repo values of `ids` (one read when the collection can). */
function readValues(c: BridgeCollection, ids: readonly string[]): Promise<ReadResult[]> {
  if (c.readMany) return c.readMany(ids);
  return Promise.all(
    ids.map((id) =>
      c.read(id).then(
        (value): ReadResult => ({ ok: true, value }),
        (): ReadResult => ({ ok: false }),
      ),
    ),
  );
}

/** The engine change that mirrors one repo row, or undefined when the engine has it. */
function changeFor(
  ctx: MirrorOutContext,
  c: BridgeCollection,
  row: LocalRow,
  value: Record<string, JsonValue>,
  current: SyncedValue | undefined,
): LocalChange | undefined {
  if (ctx.bodyCollections?.has(c.name) === true) {
    if (current !== undefined && canonicalJson(current.value) === canonicalJson(value)) return;
    return { id: row.id, body: value };
  }
  let fields = changedFields(current?.value, value);
  const base = ctx.stamps.get(markKey(c.name, row.id));
  // A field whose engine stamp moved since the last mirror was changed by the relay: the
  // repo's value is stale (step 3 has not written the new one yet), so it is not sent. If the
  // user edited that same field meanwhile, the two edits were concurrent and the remote wins.
  if (base !== undefined && current?.stamps !== undefined) {
    fields = withoutRemoteMoves(fields, base, current.stamps);
  }
  return Object.keys(fields).length > 0 ? { id: row.id, fields } : undefined;
}

/** A row step 1 is done with: its value and engine record when live and mirrored. */
interface Settled {
  row: LocalRow;
  mirrored?: { value: Record<string, JsonValue>; engine: SyncedValue | undefined };
}

/** Mirrors one page of changed rows (distinct ids); returns how many engine records changed. */
async function mirrorPage(
  ctx: MirrorOutContext,
  c: BridgeCollection,
  page: readonly LocalRow[],
): Promise<number> {
  const live = page.filter((r) => !r.deleted);
  const [values, current] = await Promise.all([
    readValues(
      c,
      live.map((r) => r.id),
    ),
    ctx.engine.readMany(
      c.name,
      page.map((r) => r.id),
    ),
  ]);
  const valueOf = new Map(live.map((r, i) => [r.id, values[i]]));
  const changes: LocalChange[] = [];
  const settled: Settled[] = [];
  for (const [i, row] of page.entries()) {
    const key = markKey(c.name, row.id);
    const engine = current[i];
    if (row.deleted) {
      // Only records the engine knows (or may know) need a tombstone.
      if (ctx.marks[key] !== undefined || engine !== undefined) {
        changes.push({ id: row.id, remove: true });
      }
      settled.push({ row });
      continue;
    }
    let value: Record<string, JsonValue>;
    try {
      const read = valueOf.get(row.id);
      if (read === undefined || !read.ok) throw new Error('unreadable');
      value = toJsonObject(read.value);
    } catch {
      // A damaged or non-object record stays local; it is never uploaded.
      ctx.skip();
      ctx.marks[key] = row.rev;
      continue;
    }
    if (engine === undefined && ctx.stamps.get(key) !== undefined) {
      // Mirrored before and gone from the engine: the relay deleted it. A delete wins over
      // every edit (as in the engine's merge); step 3 removes the row and drops its base.
      settled.push({ row });
      continue;
    }
    const change = changeFor(ctx, c, row, value, engine);
    if (change !== undefined) changes.push(change);
    settled.push({ row, mirrored: { value, engine } });
  }
  // A refused change throws with no marks set for this page: the next pass compares these
  // rows again, and what the engine already has is not written twice.
  await ctx.engine.writeMany(c.name, changes);
  // The new stamps of what was written: one store read (the encrypted store's cache of
  // opened documents spares the decryption).
  const written = changes.flatMap((ch) => ('remove' in ch ? [] : [ch.id]));
  const after = written.length === 0 ? [] : await ctx.engine.readMany(c.name, written);
  const reread = new Map(written.map((id, i) => [id, after[i]]));
  for (const { row, mirrored } of settled) {
    const key = markKey(c.name, row.id);
    ctx.marks[key] = row.rev;
    if (row.deleted) ctx.stamps.set(key, undefined);
    else if (mirrored !== undefined) {
      const engine = reread.has(row.id) ? reread.get(row.id) : mirrored.engine;
      ctx.stamps.set(key, engine === undefined ? undefined : stampsBase(mirrored.value, engine));
    }
  }
  return changes.length;
}

/** Mirrors every row of `rows` whose revision differs from its mark. */
export async function mirrorOut(
  ctx: MirrorOutContext,
  c: BridgeCollection,
  rows: readonly LocalRow[],
): Promise<number> {
  const changed = rows.filter((r) => ctx.marks[markKey(c.name, r.id)] !== r.rev);
  let n = 0;
  for (let i = 0; i < changed.length; i += MIRROR_BATCH) {
    n += await mirrorPage(ctx, c, changed.slice(i, i + MIRROR_BATCH));
  }
  return n;
}
