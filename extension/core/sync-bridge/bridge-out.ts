/**
 * Bridge step 1, local → engine: repo rows whose revision differs from their mark are local
 * changes. A page of them is read in one go (the repo's envelopes opened concurrently, the
 * engine's values in one store read) and mirrored in one engine write (one transaction).
 */
import type { LocalChange, SyncEngine } from '../sync/sync-engine';
import type { JsonValue } from '../sync/sync-doc';
import type { BridgeCollection, LocalRow, ReadResult } from './bridge';
import { canonicalJson, changedFields, toJsonObject } from './json-diff';

/** Repo rows mirrored per engine write. */
export const MIRROR_BATCH = 500;

/** `collection/id`: the key of a record's mark. */
export const markKey = (collection: string, id: string) => `${collection}/${id}`;

/** What step 1 needs. */
export interface MirrorOutContext {
  engine: Pick<SyncEngine, 'readMany' | 'writeMany'>;
  bodyCollections: ReadonlySet<string> | undefined;
  marks: Record<string, number>;
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
  current: JsonValue | undefined,
): LocalChange | undefined {
  if (ctx.bodyCollections?.has(c.name) === true) {
    if (current !== undefined && canonicalJson(current) === canonicalJson(value)) return;
    return { id: row.id, body: value };
  }
  const fields = changedFields(current, value);
  return Object.keys(fields).length > 0 ? { id: row.id, fields } : undefined;
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
  const settled: LocalRow[] = [];
  for (const [i, row] of page.entries()) {
    const key = markKey(c.name, row.id);
    const engineValue = current[i]?.value;
    if (row.deleted) {
      // Only records the engine knows (or may know) need a tombstone.
      if (ctx.marks[key] !== undefined || engineValue !== undefined) {
        changes.push({ id: row.id, remove: true });
      }
      settled.push(row);
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
    const change = changeFor(ctx, c, row, value, engineValue);
    if (change !== undefined) changes.push(change);
    settled.push(row);
  }
  // A refused change throws with no marks set for this page: the next pass compares these
  // rows again, and what the engine already has is not written twice.
  await ctx.engine.writeMany(c.name, changes);
  for (const row of settled) ctx.marks[markKey(c.name, row.id)] = row.rev;
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
