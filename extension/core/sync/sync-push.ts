/**
 * The push step of a sync pass: seal the outbox a page at a time (ops persisted before they
 * are sent, so a retry replays the same op ids), push with compare-and-set, record each
 * page's acknowledgements in one commit, and merge (then re-push) on conflict.
 */
import { sealJson, toBase64, type RecordContext } from '../../../shared/crypto';
import type { PushOp, PushResult } from '../../../shared/protocol';
import { applyServed, checkSeq } from './apply-served';
import { RelayError, SyncError } from './errors';
import { sha256Hex } from './manifest';
import type { LocalRecord, OutboxOp } from './ports';
import { saveState, type PassContext } from './sync-pass';

async function buildOp(ctx: PassContext, rec: LocalRecord): Promise<OutboxOp | undefined> {
  const baseRevision = rec.seen?.revision ?? 0;
  const revision = baseRevision + 1;
  const head = {
    opId: ctx.newId(),
    collection: rec.collection,
    id: rec.id,
    baseRevision,
    revision,
    localVersion: rec.localVersion,
  };
  if (rec.deleted || rec.doc === undefined) {
    return { ...head, deleted: true, envelope: undefined, hash: '' };
  }
  const key = ctx.keys.collectionKey(rec.collection);
  if (key === undefined) return undefined;
  const rc: RecordContext = {
    vaultId: ctx.keys.vaultId,
    collection: rec.collection,
    recordId: rec.id,
    revision,
    deleted: false,
  };
  const envelope = await sealJson(key, rc, rec.doc);
  return {
    ...head,
    deleted: false,
    envelope,
    hash: await sha256Hex(envelope),
  };
}

/**
 * The ops to push next: those already queued (a pass cut short), else ops sealed for up to
 * one page of dirty records, persisted before anything is sent. With the outbox empty, no
 * dirty record has an op in flight, so reading just one page of them is enough. `progress`
 * is true when records were settled without an op (created and deleted before any push).
 */
async function fillOutbox(ctx: PassContext): Promise<{ ops: OutboxOp[]; progress: boolean }> {
  const queued = await ctx.store.listOutbox();
  if (queued.length > 0) return { ops: queued, progress: false };
  const cleaned: LocalRecord[] = [];
  const pending: LocalRecord[] = [];
  let dirty = await ctx.store.listDirty(ctx.maxOpsPerPush);
  // Records of a collection this client has no key for stay dirty without an op; when a
  // full page holds any, read them all so they cannot hide the sealable ones forever.
  const sealable = (r: LocalRecord) =>
    r.deleted || ctx.keys.collectionKey(r.collection) !== undefined;
  if (dirty.length >= ctx.maxOpsPerPush && !dirty.every(sealable)) {
    dirty = (await ctx.store.listDirty()).filter(sealable).slice(0, ctx.maxOpsPerPush);
  }
  for (const rec of dirty) {
    // Created and deleted before it ever reached the relay: nothing to tell it.
    if (rec.deleted && rec.seen === undefined) cleaned.push({ ...rec, dirty: false });
    else pending.push(rec);
  }
  // Sealing is WebCrypto: the page's envelopes are sealed concurrently.
  const fresh = (await Promise.all(pending.map((rec) => buildOp(ctx, rec)))).flatMap(
    (op) => op ?? [],
  );
  if (fresh.length > 0 || cleaned.length > 0) {
    await ctx.store.commit({ outboxPut: fresh, records: cleaned });
  }
  return { ops: fresh, progress: cleaned.length > 0 };
}

/** An outbox op as the relay receives it. */
export const wireOp = (o: OutboxOp): PushOp => ({
  opId: o.opId,
  collection: o.collection,
  id: o.id,
  baseRevision: o.baseRevision,
  revision: o.revision,
  deleted: o.deleted,
  ...(o.envelope === undefined ? {} : { envelope: toBase64(o.envelope) }),
});

/** Records acknowledged ops (distinct records) and drops them from the outbox, in one commit. */
async function acknowledge(ctx: PassContext, acked: readonly OutboxOp[]): Promise<void> {
  if (acked.length === 0) return;
  const recs = await ctx.store.getRecords(acked);
  const records = acked.flatMap((op, i): LocalRecord[] => {
    const rec = recs[i];
    if (rec === undefined) return [];
    return [
      {
        ...rec,
        seen: { revision: op.revision, deleted: op.deleted, hash: op.hash },
        // Edited again while the op was in flight: the newer content still has to go up.
        dirty: rec.localVersion !== op.localVersion,
      },
    ];
  });
  await ctx.store.commit({ records, outboxDelete: acked.map((op) => op.opId) });
}

/** A conflict: merge the relay's current version (verified) and rebuild the op next round. */
async function onConflict(
  ctx: PassContext,
  op: OutboxOp,
  result: Extract<PushResult, { status: 'conflict' }>,
): Promise<void> {
  const rec = await ctx.store.getRecord(op.collection, op.id);
  if (result.current.revision === 0) {
    if (rec?.seen !== undefined) {
      throw new SyncError('omission', 'The relay lost a record it had stored.', {
        collection: op.collection,
        id: op.id,
      });
    }
    // Nothing to merge with; rebuild the op next round.
    await ctx.store.commit({ outboxDelete: [op.opId] });
    return;
  }
  await applyServed(ctx, { collection: op.collection, id: op.id, ...result.current });
  // applyServed dropped the op if the record was verified; make sure it is gone either way.
  await ctx.store.commit({ outboxDelete: [op.opId] });
}

/**
 * Pushes one request's worth of ops. The results before a bad one are still recorded (the
 * relay applied them), then the bad one is thrown. Returns how many were applied.
 */
async function pushChunk(ctx: PassContext, chunk: readonly OutboxOp[]): Promise<number> {
  const reply = await ctx.transport.push({ ops: chunk.map(wireOp) });
  checkSeq(reply.seq, ctx.state);
  ctx.state.highestSeq = reply.seq;
  const byId = new Map(reply.results.map((r) => [r.opId, r]));
  const acked: OutboxOp[] = [];
  const conflicts: [OutboxOp, Extract<PushResult, { status: 'conflict' }>][] = [];
  let failure: Error | undefined;
  for (const op of chunk) {
    const r = byId.get(op.opId);
    if (r === undefined) {
      failure = new RelayError('bad-reply', 'The relay did not answer every op.');
      break;
    }
    if (r.status !== 'applied') {
      conflicts.push([op, r]);
    } else if (r.revision !== op.revision) {
      failure = new SyncError('rollback', 'The relay acknowledged a different revision.', {
        collection: op.collection,
        id: op.id,
        revision: r.revision,
      });
      break;
    } else {
      acked.push(op);
    }
  }
  await ctx.atomic(() => acknowledge(ctx, acked));
  for (const [op, r] of conflicts) await ctx.atomic(() => onConflict(ctx, op, r));
  if (failure !== undefined) throw failure;
  await ctx.store.commit({ state: saveState(ctx) });
  return acked.length;
}

/**
 * Pushes until no dirty record is left, one page at a time; stops after `maxRounds` rounds in
 * a row that got nothing applied (conflicts keep re-merging). Returns how many ops applied.
 */
export async function pushAll(ctx: PassContext, maxRounds = 8): Promise<number> {
  let applied = 0;
  for (let idle = 0; idle < maxRounds;) {
    const { ops, progress } = await ctx.atomic(() => fillOutbox(ctx));
    if (ops.length === 0) {
      if (progress) continue;
      break;
    }
    let n = 0;
    for (let i = 0; i < ops.length; i += ctx.maxOpsPerPush) {
      n += await pushChunk(ctx, ops.slice(i, i + ctx.maxOpsPerPush));
    }
    applied += n;
    idle = n > 0 ? 0 : idle + 1;
  }
  ctx.report.pushed += applied;
  return applied;
}
