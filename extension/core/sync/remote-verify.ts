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
  | { kind: 'duplicate' }
  | {
      kind: 'new';
      seen: SeenVersion;
      doc: SyncDoc | undefined;
      /** The decoded envelope (undefined for a tombstone). */
      envelope?: Uint8Array;
    };

/**
 * What opening a served version gave, before any comparison with local state (so a page can
 * be opened while the previous one is still being applied). Errors are kept, not thrown:
 * {@link checkServed} throws them in the order {@link verifyServed} always checked.
 */
export interface Opened {
  /** A live record without content or with malformed base64 (after the rollback checks). */
  malformed?: SyncError;
  /** Hex SHA-256 of the envelope ('' for a tombstone or a malformed one). */
  hash: string;
  /** The document, or why it is not this record's (thrown after the duplicate check). */
  doc: { ok: true; value: SyncDoc | undefined } | { ok: false; error: unknown };
  /** The decoded envelope, when it decoded. */
  envelope?: Uint8Array;
}

/** Decodes, hashes and opens `served` under the AAD rebuilt from the outer record. Never throws. */
export async function openServed(
  served: ServedVersion,
  keys: SyncKeys,
  policy: MergePolicy,
): Promise<Opened> {
  const d = { collection: served.collection, id: served.id, revision: served.revision };
  if (served.deleted) return { hash: '', doc: { ok: true, value: undefined } };
  if (served.envelope === undefined) {
    const malformed = new SyncError(
      'record-swap',
      'The relay served a live record without content.',
      d,
    );
    return { malformed, hash: '', doc: { ok: false, error: malformed } };
  }
  let envelope: Uint8Array;
  try {
    envelope = fromBase64(served.envelope);
  } catch (cause) {
    const malformed = new SyncError('record-swap', 'The relay served a malformed envelope.', d, {
      cause,
    });
    return { malformed, hash: '', doc: { ok: false, error: malformed } };
  }
  const hash = await sha256Hex(envelope);
  try {
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
      throw new SyncError('record-swap', 'An envelope does not belong to its record.', d, {
        cause,
      });
    }
    return { hash, envelope, doc: { ok: true, value: parseSyncDoc(raw, policy) } };
  } catch (error) {
    return { hash, doc: { ok: false, error } };
  }
}

/**
 * Checks an opened `served` against `seen` (rollback, resurrection, equivocation); the
 * envelope was opened under the AAD rebuilt from the outer record (swap). Returns the
 * parsed document, or throws the typed SyncError.
 */
export function checkServed(
  served: ServedVersion,
  seen: SeenVersion | undefined,
  opened: Opened,
): Verified {
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
  if (opened.malformed !== undefined) throw opened.malformed;
  const hash = opened.hash;
  if (seen !== undefined && served.revision === seen.revision) {
    if (seen.deleted === served.deleted && seen.hash === hash) return { kind: 'duplicate' };
    throw new SyncError('equivocation', 'The relay served two versions of one revision.', d);
  }
  if (!opened.doc.ok) throw opened.doc.error;
  const next: SeenVersion = { revision: served.revision, deleted: served.deleted, hash };
  const verified: Verified = { kind: 'new', seen: next, doc: opened.doc.value };
  if (opened.envelope !== undefined) verified.envelope = opened.envelope;
  return verified;
}

/** {@link openServed} then {@link checkServed}: one served version, verified. */
export async function verifyServed(
  served: ServedVersion,
  seen: SeenVersion | undefined,
  keys: SyncKeys,
  policy: MergePolicy,
): Promise<Verified> {
  return checkServed(served, seen, await openServed(served, keys, policy));
}
