/**
 * Applying server versions to the local store: verify (remote-verify.ts), then either
 * recognise our own acknowledged op or merge (merge.ts). A pulled page is applied as one
 * batch: one read of the local records, the envelopes opened concurrently, one commit (one
 * IndexedDB transaction) with the page's cursor. A single version (a push conflict's
 * `current`) goes through {@link applyServed}.
 */
import { SyncError } from './errors';
import { parseHlc } from './hlc';
import { mergeRecord } from './merge';
import type { LocalRecord, OutboxOp, StoreCommit, SyncState } from './ports';
import {
  checkServed,
  openServed,
  verifyServed,
  type Opened,
  type ServedVersion,
  type Verified,
} from './remote-verify';
import { docStamps, sameJson, type MergePolicy } from './sync-doc';
import type { PassContext } from './sync-pass';

const keyOf = (collection: string, id: string) => `${collection}\u0000${id}`;

/** A local record that was never stored. */
export function emptyRecord(collection: string, id: string): LocalRecord {
  return {
    collection,
    id,
    doc: undefined,
    deleted: false,
    dirty: false,
    localVersion: 0,
    seen: undefined,
  };
}

/** Policy of a served record, or undefined when this client does not sync its collection. */
function policyFor(ctx: PassContext, served: ServedVersion): MergePolicy | undefined {
  const policy = ctx.policyOf(served.collection);
  // Collections this client does not sync (a newer client's) are left alone.
  if (policy === undefined || ctx.keys.collectionKey(served.collection) === undefined) return;
  return policy;
}

/** What applying one verified version changes: records to write, queued ops to drop. */
interface Outcome {
  records: LocalRecord[];
  drop: string[];
  /** True when the local value changed because of the relay (tell `onRemoteApplied`). */
  remote: boolean;
}

/** Decides what one verified (non-duplicate) version does to `local`, given its queued ops. */
function outcome(
  ctx: PassContext,
  served: ServedVersion,
  policy: MergePolicy,
  local: LocalRecord,
  v: Extract<Verified, { kind: 'new' }>,
  queued: OutboxOp[],
): Outcome {
  const drop = queued.map((o) => o.opId);
  // A relay copy describes one served version only; never carry it over to the next.
  const { relay: _stale, ...base } = local;
  const own = queued.find((o) => o.revision === served.revision && o.hash === v.seen.hash);
  if (own !== undefined && own.deleted === served.deleted) {
    // Our own op, applied while its reply was lost: an acknowledgement, not a remote edit.
    const acked = { ...base, seen: v.seen, dirty: base.localVersion !== own.localVersion };
    return { records: [acked], drop, remote: false };
  }
  if (v.doc !== undefined) {
    // Stamps sort as strings (hlc.ts): observing the newest one is observing them all.
    const newest = docStamps(v.doc).reduce<string | undefined>(
      (max, s) => (max === undefined || s > max ? s : max),
      undefined,
    );
    if (newest !== undefined) ctx.clock.observe(parseHlc(newest));
  }
  const out = mergeRecord({
    policy,
    collection: served.collection,
    id: served.id,
    local,
    remote: { doc: v.doc, deleted: served.deleted },
    newId: ctx.newId,
  });
  const updated: LocalRecord = {
    ...base,
    doc: out.doc,
    deleted: out.deleted,
    dirty: out.dirty,
    seen: v.seen,
  };
  // Left an exact, clean copy of the served version (every record of a first sync): the
  // store may keep the relay's envelope as is instead of sealing the same document again.
  const doc = out.doc;
  if (!out.dirty && !out.deleted && doc !== undefined && v.doc !== undefined) {
    if (v.envelope !== undefined && (doc === v.doc || sameJson(doc, v.doc))) {
      updated.doc = v.doc;
      updated.relay = { revision: served.revision, envelope: v.envelope, doc: v.doc };
    }
  }
  const copies: LocalRecord[] = out.copies.map((c) => ({
    ...emptyRecord(served.collection, c.id),
    doc: c.doc,
    dirty: true,
    localVersion: 1,
  }));
  ctx.report.conflicts.push(...out.conflicts);
  // Any op still queued for this record was built on an older base: it is doomed to
  // conflict. The merge result carries its content.
  return { records: [updated, ...copies], drop, remote: true };
}

/** Verifies one served version and merges it into the local record. Returns false if skipped. */
export async function applyServed(ctx: PassContext, served: ServedVersion): Promise<boolean> {
  const policy = policyFor(ctx, served);
  if (policy === undefined) return false;
  const local =
    (await ctx.store.getRecord(served.collection, served.id)) ??
    emptyRecord(served.collection, served.id);
  const v = await verifyServed(served, local.seen, ctx.keys, policy);
  if (v.kind === 'duplicate') return true;
  const queued = (await ctx.store.listOutbox()).filter(
    (o) => o.collection === served.collection && o.id === served.id,
  );
  const out = outcome(ctx, served, policy, local, v, queued);
  await ctx.store.commit({ records: out.records, outboxDelete: out.drop });
  if (out.remote) for (const r of out.records) ctx.onRemoteApplied?.(r);
  return true;
}

/**
 * Opens every envelope of a pulled page (WebCrypto works concurrently), independent of local
 * state, so the next page can be opened while this one is applied. Undefined where the
 * collection is not synced here. Never rejects.
 */
export function openPage(
  ctx: PassContext,
  page: readonly ServedVersion[],
): Promise<(Opened | undefined)[]> {
  return Promise.all(
    page.map((served) => {
      const policy = policyFor(ctx, served);
      return policy === undefined ? undefined : openServed(served, ctx.keys, policy);
    }),
  );
}

/**
 * Applies one pulled page in order, as one commit that also stores `nextState()` (the
 * advanced cursor; adopted in memory only once committed). `opening` is the page's
 * {@link openPage}, if it was started early. If a record is refused, the records before it
 * are still committed (they were verified), the cursor is not, and the refusal is thrown.
 * Returns how many records applied.
 */
export async function applyPage(
  ctx: PassContext,
  page: readonly ServedVersion[],
  nextState: () => SyncState,
  opening: Promise<(Opened | undefined)[]> = openPage(ctx, page),
): Promise<number> {
  const wanted = page.flatMap((served, at) => {
    const policy = policyFor(ctx, served);
    return policy === undefined ? [] : [{ served, policy, at }];
  });
  const [stored, opened] = await Promise.all([
    ctx.store.getRecords(wanted.map((w) => w.served)),
    opening,
  ]);
  // A record served twice in one page is checked again at its turn, against the first result.
  const current = new Map<string, LocalRecord>();
  wanted.forEach(({ served }, i) => {
    const k = keyOf(served.collection, served.id);
    if (!current.has(k)) current.set(k, stored[i] ?? emptyRecord(served.collection, served.id));
  });
  const queued = new Map<string, OutboxOp[]>();
  for (const o of await ctx.store.listOutbox()) {
    const k = keyOf(o.collection, o.id);
    queued.set(k, [...(queued.get(k) ?? []), o]);
  }
  const writes = new Map<string, LocalRecord>();
  const drop = new Set<string>();
  const remote: LocalRecord[] = [];
  let applied = 0;
  let refusal: { error: unknown } | undefined;
  for (const { served, policy, at } of wanted) {
    const k = keyOf(served.collection, served.id);
    const local = current.get(k)!;
    let v: Verified;
    try {
      const o = opened[at];
      v =
        o === undefined
          ? await verifyServed(served, local.seen, ctx.keys, policy)
          : checkServed(served, local.seen, o);
    } catch (error) {
      refusal = { error };
      break;
    }
    applied += 1;
    if (v.kind === 'duplicate') continue;
    const out = outcome(ctx, served, policy, local, v, queued.get(k) ?? []);
    queued.delete(k);
    for (const id of out.drop) drop.add(id);
    for (const r of out.records) {
      current.set(keyOf(r.collection, r.id), r);
      writes.set(keyOf(r.collection, r.id), r);
    }
    if (out.remote) remote.push(...out.records);
  }
  const change: StoreCommit = { records: [...writes.values()], outboxDelete: [...drop] };
  if (refusal === undefined) change.state = nextState();
  await ctx.store.commit(change);
  if (change.state !== undefined) Object.assign(ctx.state, change.state);
  for (const r of remote) ctx.onRemoteApplied?.(r);
  if (refusal !== undefined) throw refusal.error;
  return applied;
}

/** Refuses an account seq older than this device has already seen. */
export function checkSeq(seq: number, state: SyncState): void {
  if (seq < state.highestSeq) {
    throw new SyncError('rollback', 'The relay reports an older account state than seen.', {
      seq,
      seen: state.highestSeq,
    });
  }
}
