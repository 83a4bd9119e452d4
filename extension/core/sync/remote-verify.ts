/**
 * Verification of one server record before anything is applied. The relay cannot forge an
 * envelope, but it can replay, roll back, withhold, swap or resurrect; every such case is
 * refused here with a typed SyncError, checked against the highest version this device saw.
 */
import { fromBase64, openJson, type RecordContext } from '../../../shared/crypto';
import { SyncError } from './errors';
import { sha256Hex } from './manifest';
import type { SeenVersion, SyncKeys } from './ports';
import { parseSyncDoc, type MergePolicy, type SyncDoc } from './sync-doc';

/** A server version as served (pull record or push-conflict `current`). */
export interface ServedVersion {
  collection: string;
  id: string;
  revision: number;
  deleted: boolean;
  /** base64, absent for tombstones */
  envelope?: string;
}

/** Outcome of {@link verifyServed}. */
export type Verified =
  { kind: 'duplicate' } | { kind: 'new'; seen: SeenVersion; doc: SyncDoc | undefined };

/**
 * Checks `served` against `seen` (rollback, resurrection, equivocation), then opens the
 * envelope under the AAD rebuilt from the outer record (swap). Returns the parsed document.
 */
export async function verifyServed(
  served: ServedVersion,
  seen: SeenVersion | undefined,
  keys: SyncKeys,
  policy: MergePolicy,
): Promise<Verified> {
  const d = { collection: served.collection, id: served.id, revision: served.revision };
  if (seen !== undefined) {
    if (seen.deleted && !served.deleted) {
      throw new SyncError(
        'tombstone-resurrection',
        'The relay served a deleted record as live.',
        d,
      );
    }
    if (served.revision < seen.revision) {
      throw new SyncError('rollback', 'The relay served an older revision than already seen.', {
        ...d,
        seen: seen.revision,
      });
    }
  }
  let envelope: Uint8Array | undefined;
  let hash = '';
  if (!served.deleted) {
    if (served.envelope === undefined) {
      throw new SyncError('record-swap', 'The relay served a live record without content.', d);
    }
    try {
      envelope = fromBase64(served.envelope);
    } catch (cause) {
      throw new SyncError('record-swap', 'The relay served a malformed envelope.', d, { cause });
    }
    hash = await sha256Hex(envelope);
  }
  if (seen !== undefined && served.revision === seen.revision) {
    if (seen.deleted === served.deleted && seen.hash === hash) return { kind: 'duplicate' };
    throw new SyncError('equivocation', 'The relay served two versions of one revision.', d);
  }
  const next: SeenVersion = { revision: served.revision, deleted: served.deleted, hash };
  if (envelope === undefined) return { kind: 'new', seen: next, doc: undefined };

  const key = keys.collectionKey(served.collection);
  if (key === undefined) {
    throw new SyncError('record-swap', 'A record arrived in an unknown collection.', d);
  }
  const ctx: RecordContext = {
    vaultId: keys.vaultId,
    collection: served.collection,
    recordId: served.id,
    revision: served.revision,
    deleted: false,
  };
  let raw: unknown;
  try {
    raw = await openJson(key, ctx, envelope);
  } catch (cause) {
    // decrypt-failed / bad-envelope: sealed for another record, revision, collection or
    // account (or mangled). Either way it is not this record's content.
    throw new SyncError('record-swap', 'An envelope does not belong to its record.', d, { cause });
  }
  return { kind: 'new', seen: next, doc: parseSyncDoc(raw, policy) };
}
