/**
 * The manifest steps of a sync pass: after pulling to the end, fetch, verify and check the
 * account manifest; after a push, sign and upload a new one (see manifest.ts for the format).
 */
import { RelayError, SyncError } from './errors';
import { buildManifest, checkManifest, verifyManifest } from './manifest';
import { saveState, type PassContext } from './sync-pass';

async function seenLookup(ctx: PassContext) {
  const all = await ctx.store.listRecords();
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
  return m.counter;
}

/**
 * Uploads a manifest of everything this device has seen (call after pulling to the end).
 * Returns false when it was skipped (too large, or lost two counter races).
 */
export async function uploadManifest(ctx: PassContext): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = await checkRemoteManifest(ctx);
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
