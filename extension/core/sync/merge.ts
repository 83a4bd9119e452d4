/**
 * Merge rules, pure and deterministic (no clock, no I/O; fresh ids come from the caller).
 * Every rule is commutative on what it keeps, so two devices that see the same versions in
 * any order end identical:
 *
 * - lww (conversations, settings, …): per field, the larger HLC wins; equal stamps (the
 *   same write seen twice) tie-break on the canonical value.
 * - immutable (messages): the first write (smallest HLC) wins; a different second version is
 *   reported as a conflict and dropped.
 * - keep-both (memory): if both sides changed the body, the larger HLC keeps the id and the
 *   other body becomes a new record (`conflictOf` = id) — nothing the user wrote is lost.
 * - delete: tombstones win over any edit and are final (never resurrected).
 */
import { compareHlcStrings } from './hlc';
import {
  canonicalJson,
  sameJson,
  type BodyDoc,
  type FieldsDoc,
  type MergePolicy,
  type SyncDoc,
} from './sync-doc';

/** What kind of conflict a merge reported (as const). */
export const CONFLICT_KINDS = {
  /** A second, different version of an immutable record; the first one was kept. */
  immutableRewrite: 'immutable-rewrite',
  /** Concurrent edits of a keep-both record; the loser became a conflict copy. */
  concurrentEdit: 'concurrent-edit',
  /** Unsynced local edits of a record another device deleted. */
  editLostToDelete: 'edit-lost-to-delete',
} as const;
/** Union of {@link CONFLICT_KINDS} values. */
export type ConflictKind = (typeof CONFLICT_KINDS)[keyof typeof CONFLICT_KINDS];

/** A conflict the UI may show ("2 memories were edited on two devices; both kept"). */
export interface SyncConflict {
  kind: ConflictKind;
  collection: string;
  id: string;
  /** keep-both: the id of the new conflict copy. */
  copyId?: string;
}

/** One side of a merge. */
export interface MergeSide {
  doc: SyncDoc | undefined;
  deleted: boolean;
}

/** Inputs of {@link mergeRecord}. */
export interface MergeInput {
  policy: MergePolicy;
  collection: string;
  id: string;
  /** The local version; `dirty` when it holds changes the relay has not confirmed. */
  local: MergeSide & { dirty: boolean };
  /** The authentic server version just received. */
  remote: MergeSide;
  /** Fresh record ids for conflict copies. */
  newId: () => string;
}

/** Result of {@link mergeRecord}: the new local state plus records to create. */
export interface MergeOutcome {
  doc: SyncDoc | undefined;
  deleted: boolean;
  /** True when the result differs from the server version and must be pushed. */
  dirty: boolean;
  copies: { id: string; doc: BodyDoc }[];
  conflicts: SyncConflict[];
}

/** Per-field last-writer-wins. Commutative, associative and idempotent. */
export function mergeFields(a: FieldsDoc, b: FieldsDoc): FieldsDoc {
  const fields: FieldsDoc['fields'] = {};
  for (const name of new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])) {
    const x = a.fields[name];
    const y = b.fields[name];
    if (x === undefined || y === undefined) {
      const only = x ?? y;
      if (only !== undefined) fields[name] = only;
      continue;
    }
    const byClock = compareHlcStrings(x.hlc, y.hlc);
    const byValue = compareHlcStrings(canonicalJson(x.value), canonicalJson(y.value));
    fields[name] = byClock > 0 || (byClock === 0 && byValue >= 0) ? x : y;
  }
  return { v: 1, kind: 'fields', fields };
}

/** Orders body docs by stamp, then by canonical content, so ties resolve the same everywhere. */
function compareBodies(a: BodyDoc, b: BodyDoc): number {
  return compareHlcStrings(a.hlc, b.hlc) || compareHlcStrings(canonicalJson(a), canonicalJson(b));
}

/** Merges a local version with an authentic remote one under `policy`. */
export function mergeRecord(input: MergeInput): MergeOutcome {
  const { local, remote, collection, id } = input;
  const none = { copies: [], conflicts: [] };
  if (remote.deleted || remote.doc === undefined) {
    const lost = local.dirty && !local.deleted && local.doc !== undefined;
    return {
      doc: undefined,
      deleted: true,
      dirty: false,
      copies: [],
      conflicts: lost ? [{ kind: 'edit-lost-to-delete', collection, id }] : [],
    };
  }
  // A local delete is final too; it still has to reach the relay.
  if (local.deleted) return { doc: undefined, deleted: true, dirty: true, ...none };
  if (local.doc === undefined) return { doc: remote.doc, deleted: false, dirty: false, ...none };
  const r = remote.doc;
  const l = local.doc;

  if (input.policy === 'lww') {
    if (l.kind !== 'fields' || r.kind !== 'fields') return takeRemote(r);
    const merged = mergeFields(l, r);
    return { doc: merged, deleted: false, dirty: !sameJson(merged, r), ...none };
  }
  if (l.kind !== 'body' || r.kind !== 'body') return takeRemote(r);

  if (input.policy === 'immutable') {
    const first = compareBodies(l, r) <= 0 ? l : r;
    const rewritten = !sameJson(l.body, r.body);
    return {
      doc: first,
      deleted: false,
      dirty: !sameJson(first, r),
      copies: [],
      conflicts: rewritten ? [{ kind: 'immutable-rewrite', collection, id }] : [],
    };
  }

  // keep-both
  if (!local.dirty || sameJson(l.body, r.body)) return takeRemote(r);
  const localWins = compareBodies(l, r) > 0;
  const loser = localWins ? r : l;
  const copyId = input.newId();
  const copy: BodyDoc = { v: 1, kind: 'body', body: loser.body, hlc: loser.hlc, conflictOf: id };
  return {
    doc: localWins ? l : r,
    deleted: false,
    dirty: localWins,
    copies: [{ id: copyId, doc: copy }],
    conflicts: [{ kind: 'concurrent-edit', collection, id, copyId }],
  };
}

function takeRemote(doc: SyncDoc): MergeOutcome {
  return { doc, deleted: false, dirty: false, copies: [], conflicts: [] };
}
