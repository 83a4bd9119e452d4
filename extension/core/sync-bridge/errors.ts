/** Coded errors of the sync service, with the plain words the Options page shows. */
import { isCryptoError } from '../../../shared/crypto';
import { RelayError, SyncError, type SyncErrorCode } from '../sync/errors';

/** Why a sync action failed (as const, not an enum). */
export const SYNC_SERVICE_ERROR = [
  'wrong-passphrase',
  'not-connected',
  'already-connected',
  'vault-exists',
  'no-vault',
  'bad-account',
  'bad-secret-key',
  'bad-header',
] as const;
/** Union of {@link SYNC_SERVICE_ERROR}. */
export type SyncServiceErrorCode = (typeof SYNC_SERVICE_ERROR)[number];

const TEXT: Record<SyncServiceErrorCode, string> = {
  'wrong-passphrase': 'Wrong passphrase.',
  'not-connected': 'This browser is not connected to a relay.',
  'already-connected': 'This browser is already connected to a relay. Disconnect first.',
  'vault-exists': 'This browser already has a vault; linking needs a fresh Nook.',
  'no-vault': 'Create or unlock your vault first.',
  'bad-account':
    'The relay did not accept these details. Check the account id, passphrase and Secret Key.',
  'bad-secret-key': 'That Secret Key is not valid. Copy it from your Emergency Kit.',
  'bad-header': 'The relay returned vault data that is damaged or does not match this account.',
};

/** A failed sync action; the message is safe to show (never content or secrets). */
export class SyncServiceError extends Error {
  readonly code: SyncServiceErrorCode;
  constructor(code: SyncServiceErrorCode, options?: { cause?: unknown }) {
    super(TEXT[code], options);
    this.name = 'SyncServiceError';
    this.code = code;
  }
}

const RELAY_TEXT: Partial<Record<string, string>> = {
  network: 'The relay cannot be reached. Check the address and your connection.',
  unavailable: 'The relay is not available right now. Nook will retry.',
  'rate-limited': 'The relay asked Nook to slow down. It will retry shortly.',
  unauthorized: 'The relay session ended. Enter your passphrase to reconnect.',
  'token-reused': 'The relay session was ended for safety. Enter your passphrase to reconnect.',
  'insecure-url': 'The relay must use https:// (plain http only to 127.0.0.1, ::1 or localhost).',
};

const STOPPED = 'sync stopped to protect your data. Your data in this browser is unchanged.';

/** What a relay that broke a guarantee did, in plain words (sync-attacks.test.ts names each). */
const SYNC_TEXT: Record<SyncErrorCode, string> = {
  rollback: `The relay served an older copy of your data: ${STOPPED}`,
  omission: `The relay left out records it had stored: ${STOPPED}`,
  'record-swap': `The relay served records that were moved or swapped: ${STOPPED}`,
  'tombstone-resurrection': `The relay brought back a deleted record: ${STOPPED}`,
  equivocation: `The relay served two different versions of one record: ${STOPPED}`,
  'kdf-downgrade': `The relay offered weaker key-derivation settings than this browser uses: ${STOPPED}`,
  'bad-manifest': `The relay served a forged or damaged sync manifest: ${STOPPED}`,
  'bad-record': `The relay served a record Nook cannot read: ${STOPPED}`,
  'invalid-write': 'A change could not be synced because it breaks a sync rule.',
};

/** Plain words for any error a sync action or pass can throw. */
export function syncErrorText(e: unknown): string {
  if (e instanceof SyncServiceError) return e.message;
  if (e instanceof SyncError) {
    return SYNC_TEXT[e.code];
  }
  if (e instanceof RelayError) {
    return RELAY_TEXT[e.code] ?? e.message;
  }
  if (isCryptoError(e, 'wrong-passphrase')) return TEXT['wrong-passphrase'];
  if (isCryptoError(e, 'bad-secret-key')) return TEXT['bad-secret-key'];
  return 'Sync failed for an unexpected reason. Please try again.';
}
