/** Which app collections sync, and with which merge policy. */
import { DEFAULT_POLICIES, type MergePolicy } from '../sync/sync-doc';

/**
 * The collections the bridge mirrors. `usage` (per-device counters) and `ledger` stay local;
 * `secrets` (provider configs with API keys) only when the user ticks "Sync API keys".
 */
export const SYNCED_COLLECTIONS = [
  'conversations',
  'messages',
  'settings',
  'personas',
  'memory',
] as const;
/** The opt-in collection holding API keys. */
export const SECRETS_COLLECTION = 'secrets';

/** Union of the collections the bridge can mirror. */
export type BridgedCollection = (typeof SYNCED_COLLECTIONS)[number] | typeof SECRETS_COLLECTION;

/**
 * Merge policies the bridge uses. Messages are `lww` here, not `immutable`: the app edits a
 * message in place (edit-and-resend, a finished stream replacing its placeholder), and an
 * immutable policy would drop those edits on every other device. Every bridged record is an
 * object mirrored field by field, except memory (`keep-both` bodies, BODY_COLLECTIONS).
 */
export const BRIDGE_POLICIES: Readonly<Record<string, MergePolicy>> = {
  ...DEFAULT_POLICIES,
  messages: 'lww',
};

/** Collections mirrored as whole bodies (keep-both), not LWW fields. */
export const BODY_COLLECTIONS: ReadonlySet<string> = new Set(['memory']);

/** The collections to mirror for a connection. */
export function bridgedCollections(syncSecrets: boolean): BridgedCollection[] {
  return syncSecrets ? [...SYNCED_COLLECTIONS, SECRETS_COLLECTION] : [...SYNCED_COLLECTIONS];
}
