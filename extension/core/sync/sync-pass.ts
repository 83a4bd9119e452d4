/**
 * The pull step of a sync pass and the context every step shares: pull since the cursor
 * (verify, merge, apply). Push: sync-push.ts. Manifests: manifest-sync.ts.
 * Every step persists before it moves on, so a pass cut short by a network failure can simply
 * be run again: ops replay under the same op id and pulled records are idempotent.
 */
import type { PullReply } from '../../../shared/protocol';
import { applyPage, checkSeq, openPage } from './apply-served';
import type { Opened } from './remote-verify';
import { serializeHlc, type HlcClock } from './hlc';
import type { SyncConflict } from './merge';
import type { LocalRecord, LocalRecordStore, RelayTransport, SyncKeys, SyncState } from './ports';
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
  /**
   * Told, once it is committed, about every record whose local value changed because of the
   * relay (merge or copy).
   */
  onRemoteApplied?: (record: LocalRecord) => void;
  /** The last manifest check that passed (kept by the engine across passes). */
  manifestMemo: ManifestMemo;
  /** How many store commits carried records so far (any change to what this device holds). */
  recordCommits: () => number;
}

/**
 * What the last passing manifest check saw. Checking the same manifest bytes again, with the
 * same cursor and no record committed since, gives the same answer, so an idle poll skips
 * reading every record (and decoding a manifest of up to 1 MiB) for it.
 */
export interface ManifestMemo {
  last?: { blob: string; counter: number; cursor: number; recordCommits: number };
}

/** Snapshot of the in-memory state (with the clock) for a commit. */
export function saveState(ctx: PassContext): SyncState {
  ctx.state.hlc = serializeHlc(ctx.clock.peek());
  return { ...ctx.state };
}

/** A requested page: its reply, and its envelopes being opened as soon as it arrives. */
interface Fetched {
  since: number;
  page: Promise<{ reply: PullReply; opening: Promise<(Opened | undefined)[]> }>;
}

/** The first page of a pull is small, so verifying and storing start while the rest loads. */
export const FIRST_PULL_LIMIT = 200;

function fetchPage(ctx: PassContext, since: number, limit: number): Fetched {
  const page = ctx.transport
    .pull(since, limit)
    .then((reply) => ({ reply, opening: openPage(ctx, reply.records) }));
  // Settled here too, so a page that fails to apply leaves no unhandled rejection.
  page.catch(() => undefined);
  return { since, page };
}

/**
 * Pulls every page since the cursor; each page is applied and its cursor stored in one commit.
 * The next page is requested, and its envelopes opened, while this one is applied (a read the
 * relay would serve anyway, and decryption that does not depend on local state); it is used
 * only if this page committed the cursor it was requested from.
 */
export async function pullAll(ctx: PassContext): Promise<void> {
  let ahead: Fetched | undefined;
  for (;;) {
    const since = ctx.state.cursor;
    const first = ahead === undefined ? Math.min(FIRST_PULL_LIMIT, ctx.pullLimit) : ctx.pullLimit;
    const { reply, opening } = await (ahead?.since === since ? ahead : fetchPage(ctx, since, first))
      .page;
    ahead = undefined;
    checkSeq(reply.seq, ctx.state);
    const maxSeq = reply.records.reduce((m, r) => Math.max(m, r.seq), since);
    // Never trust a cursor beyond what was delivered or behind where we were.
    const cursor = Math.max(since, Math.min(reply.cursor, maxSeq));
    if (reply.hasMore && cursor > since) ahead = fetchPage(ctx, cursor, ctx.pullLimit);
    const applied = await ctx.atomic(() =>
      applyPage(
        ctx,
        reply.records,
        () => ({
          ...saveState(ctx),
          cursor,
          highestSeq: Math.max(ctx.state.highestSeq, reply.seq),
        }),
        opening,
      ),
    );
    ctx.report.pulled += applied;
    if (!reply.hasMore || ctx.state.cursor === since) return;
  }
}
