/**
 * The pull and push steps of a sync pass: pull since the cursor (verify, merge, apply), push
 * the outbox with compare-and-set (merge and re-push on conflict). Manifests: manifest-sync.ts.
 * Every step persists before it moves on, so a pass cut short by a network failure can simply
 * be run again: ops replay under the same op id and pulled records are idempotent.
 */
import { sealJson, toBase64, type RecordContext } from '../../../shared/crypto';
import type { PushOp, PushResult } from '../../../shared/protocol';
import { RelayError, SyncError } from './errors';
import { applyPage, applyServed, checkSeq } from './apply-served';
import { serializeHlc, type HlcClock } from './hlc';
import { sha256Hex } from './manifest';
import type { SyncConflict } from './merge';
import type {
  LocalRecord,
  LocalRecordStore,
  OutboxOp,
  RelayTransport,
  SyncKeys,
  SyncState,
} from './ports';
import type { MergePolicy } from './sync-doc';

/** What one pass did. */
export interface SyncReport {
  pulled: number;
  pushed: number;
  conflicts: SyncConflict[];
}

/** Everything a pass needs; `state` is the engine's in-memory copy, persisted on each commit. */
export interface PassContext {
  transport: RelayTransport;
  store: LocalRecordStore;
  keys: SyncKeys;
  device: string;
  clock: HlcClock;
  policyOf: (collection: string) => MergePolicy | undefined;
  newId: () => string;
  now: () => number;
  pullLimit: number;
  maxOpsPerPush: number;
  /** Largest manifest blob (base64 chars) the relay accepts. */
  maxManifestChars: number;
  state: SyncState;
  report: SyncReport;
  /**
   * Runs a read-modify-write of the local store under the engine's store lock, so local
   * writes can go on while the pass waits on the network but never interleave with a merge.
   */
  atomic: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Told about every record whose local value changed because of the relay (merge or copy). */
  onRemoteApplied?: (collection: string, id: string) => void;
}

/** Snapshot of the in-memory state (with the clock) for a commit. */
export function saveState(ctx: PassContext): SyncState {
  ctx.state.hlc = serializeHlc(ctx.clock.peek());
  return { ...ctx.state };
}

/** Pulls every page since the cursor; each page is applied and its cursor stored in one commit. */
export async function pullAll(ctx: PassContext): Promise<void> {
  for (;;) {
    const since = ctx.state.cursor;
    const reply = await ctx.transport.pull(since, ctx.pullLimit);
    checkSeq(reply.seq, ctx.state);
    const maxSeq = reply.records.reduce((m, r) => Math.max(m, r.seq), since);
    const applied = await ctx.atomic(() =>
      applyPage(ctx, reply.records, () => ({
        ...saveState(ctx),
        // Never trust a cursor beyond what was delivered or behind where we were.
        cursor: Math.max(since, Math.min(reply.cursor, maxSeq)),
        highestSeq: Math.max(ctx.state.highestSeq, reply.seq),
      })),
    );
    ctx.report.pulled += applied;
    if (!reply.hasMore || ctx.state.cursor === since) return;
  }
}

async function buildOp(ctx: PassContext, rec: LocalRecord): Promise<OutboxOp | undefined> {
  const baseRevision = rec.seen?.revision ?? 0;
  const revision = baseRevision + 1;
  const opId = ctx.newId();
  if (rec.deleted || rec.doc === undefined) {
    return {
      opId,
      collection: rec.collection,
      id: rec.id,
      baseRevision,
      revision,
      deleted: true,
      envelope: undefined,
      hash: '',
      localVersion: rec.localVersion,
    };
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
    opId,
    collection: rec.collection,
    id: rec.id,
    baseRevision,
    revision,
    deleted: false,
    envelope,
    hash: await sha256Hex(envelope),
    localVersion: rec.localVersion,
  };
}

/** Seals an op for every dirty record that has none queued; persists them before sending. */
async function fillOutbox(ctx: PassContext): Promise<OutboxOp[]> {
  const queued = await ctx.store.listOutbox();
  const busy = new Set(queued.map((o) => `${o.collection}\u0000${o.id}`));
  const fresh: OutboxOp[] = [];
  const cleaned: LocalRecord[] = [];
  for (const rec of await ctx.store.listDirty()) {
    if (busy.has(`${rec.collection}\u0000${rec.id}`)) continue;
    // Created and deleted before it ever reached the relay: nothing to tell it.
    if (rec.deleted && rec.seen === undefined) {
      cleaned.push({ ...rec, dirty: false });
      continue;
    }
    const op = await buildOp(ctx, rec);
    if (op !== undefined) fresh.push(op);
  }
  if (fresh.length > 0 || cleaned.length > 0) {
    await ctx.store.commit({ outboxPut: fresh, records: cleaned });
  }
  return [...queued, ...fresh];
}

const wireOp = (o: OutboxOp): PushOp => ({
  opId: o.opId,
  collection: o.collection,
  id: o.id,
  baseRevision: o.baseRevision,
  revision: o.revision,
  deleted: o.deleted,
  ...(o.envelope === undefined ? {} : { envelope: toBase64(o.envelope) }),
});

async function onResult(ctx: PassContext, op: OutboxOp, result: PushResult): Promise<boolean> {
  if (result.status === 'applied') {
    if (result.revision !== op.revision) {
      throw new SyncError('rollback', 'The relay acknowledged a different revision.', {
        collection: op.collection,
        id: op.id,
        revision: result.revision,
      });
    }
    const rec = await ctx.store.getRecord(op.collection, op.id);
    const records: LocalRecord[] = [];
    if (rec !== undefined) {
      records.push({
        ...rec,
        seen: { revision: op.revision, deleted: op.deleted, hash: op.hash },
        // Edited again while the op was in flight: the newer content still has to go up.
        dirty: rec.localVersion !== op.localVersion,
      });
    }
    await ctx.store.commit({ records, outboxDelete: [op.opId] });
    return true;
  }
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
    return false;
  }
  await applyServed(ctx, { collection: op.collection, id: op.id, ...result.current });
  // applyServed dropped the op if the record was verified; make sure it is gone either way.
  await ctx.store.commit({ outboxDelete: [op.opId] });
  return false;
}

/** Pushes until the outbox is empty (or `maxRounds`). Returns how many ops were applied. */
export async function pushAll(ctx: PassContext, maxRounds = 8): Promise<number> {
  let applied = 0;
  for (let round = 0; round < maxRounds; round++) {
    const ops = await ctx.atomic(() => fillOutbox(ctx));
    if (ops.length === 0) break;
    for (let i = 0; i < ops.length; i += ctx.maxOpsPerPush) {
      const chunk = ops.slice(i, i + ctx.maxOpsPerPush);
      const reply = await ctx.transport.push({ ops: chunk.map(wireOp) });
      checkSeq(reply.seq, ctx.state);
      ctx.state.highestSeq = reply.seq;
      const byId = new Map(reply.results.map((r) => [r.opId, r]));
      for (const op of chunk) {
        const r = byId.get(op.opId);
        if (r === undefined) {
          throw new RelayError('bad-reply', 'The relay did not answer every op.');
        }
        if (await ctx.atomic(() => onResult(ctx, op, r))) applied += 1;
      }
      await ctx.store.commit({ state: saveState(ctx) });
    }
  }
  ctx.report.pushed += applied;
  return applied;
}
