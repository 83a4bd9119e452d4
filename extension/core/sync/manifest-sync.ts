/**
 * The manifest steps of a sync pass: after pulling to the end, fetch, verify and check the
 * account manifest; after a push, sign and upload a new one (see manifest.ts for the format).
 */
import { RelayError, SyncError } from './errors';
import { buildManifest, checkManifest, verifyManifest } from './manifest';
import type { LocalRecordStore } from './ports';
import { saveState, type PassContext } from './sync-pass';

/**
 * `store`, counting the commits that carry records (anything that may change what this device
 * holds), for {@link PassContext.recordCommits}.
 */
export function countingStore(store: LocalRecordStore) {
  let commits = 0;
  const counted: LocalRecordStore = {
    getRecord: (collection, id) => store.getRecord(collection, id),
    getRecords: (keys) => store.getRecords(keys),
    listRecords: (collection) => store.listRecords(collection),
    listSeen: () => store.listSeen(),
    listDirty: (limit) => store.listDirty(limit),
    listOutbox: () => store.listOutbox(),
    getState: () => store.getState(),
    commit(change) {
      if ((change.records?.length ?? 0) > 0) commits += 1;
      return store.commit(change);
    },
  };
  return { store: counted, commits: () => commits };
}

async function seenLookup(ctx: PassContext) {
  const all = await ctx.store.listSeen();
  const map = new Map(all.map((r) => [`${r.collection}\u0000${r.id}`, r]));
  return {
    all,
    seen: (c: string, id: string) => map.get(`${c}\u0000${id}`)?.seen,
  };
}

/** Fetches, verifies and checks the account manifest. Returns its counter (0 if none). */
export async function checkRemoteManifest(ctx: PassContext): Promise<number> {
  const reply = await ctx.transport.getManifest();
  if (reply === undefined) {
    if (ctx.state.manifestCounter > 0) {
      throw new SyncError('rollback', 'The relay no longer serves the account manifest.', {
        seen: ctx.state.manifestCounter,
      });
    }
    return 0;
  }
  const memo = ctx.manifestMemo.last;
  if (
    memo !== undefined &&
    memo.blob === reply.blob &&
    memo.counter === reply.counter &&
    memo.counter === ctx.state.manifestCounter &&
    memo.cursor === ctx.state.cursor &&
    memo.recordCommits === ctx.recordCommits()
  ) {
    return memo.counter;
  }
  ctx.manifestMemo.last = undefined;
  // Read before the check: a commit made meanwhile makes the next pass check again.
  const commitsBefore = ctx.recordCommits();
  const m = await verifyManifest(reply, ctx.keys.vaultId, ctx.keys.manifestKey);
  const { seen } = await seenLookup(ctx);
  checkManifest(m, {
    cursor: ctx.state.cursor,
    accountSeq: ctx.state.highestSeq,
    lastCounter: ctx.state.manifestCounter,
    seen,
    knows: (c) => ctx.policyOf(c) !== undefined && ctx.keys.collectionKey(c) !== undefined,
  });
  ctx.state.manifestCounter = m.counter;
  await ctx.store.commit({ state: saveState(ctx) });
  ctx.manifestMemo.last = {
    blob: reply.blob,
    counter: m.counter,
    cursor: ctx.state.cursor,
    recordCommits: commitsBefore,
  };
  return m.counter;
}

/**
 * Uploads a manifest of everything this device has seen (call after pulling to the end).
 * Returns false when it was skipped (too large, or lost two counter races).
 */
export async function uploadManifest(ctx: PassContext): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = await checkRemoteManifest(ctx);
    const commitsBefore = ctx.recordCommits();
    const { all } = await seenLookup(ctx);
    const entries = all.flatMap((r) =>
      r.seen === undefined ? [] : [{ collection: r.collection, id: r.id, ...r.seen }],
    );
    const counter = Math.max(current, ctx.state.manifestCounter) + 1;
    const body = await buildManifest({
      vaultId: ctx.keys.vaultId,
      key: ctx.keys.manifestKey,
      counter,
      seq: ctx.state.cursor,
      device: ctx.device,
      createdAt: ctx.now(),
      entries,
    });
    // The relay caps a manifest like an envelope (1 MiB by default, ≈ 9,000 records). Past
    // that, skip it rather than fail the sync: records still get per-device rollback checks.
    if (body.blob.length > ctx.maxManifestChars) return false;
    try {
      await ctx.transport.putManifest(body);
      ctx.state.manifestCounter = counter;
      await ctx.store.commit({ state: saveState(ctx) });
      // Our own manifest lists exactly what we hold: checking it next pass would pass.
      ctx.manifestMemo.last = {
        blob: body.blob,
        counter,
        cursor: ctx.state.cursor,
        recordCommits: commitsBefore,
      };
      return true;
    } catch (e) {
      // Another device uploaded first; theirs is as good. Try once more with a fresh counter.
      if (e instanceof RelayError && e.code === 'stale-manifest') continue;
      if (e instanceof RelayError && e.status === 413) return false;
      throw e;
    }
  }
  return false;
}
