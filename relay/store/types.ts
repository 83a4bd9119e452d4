/**
 * The relay's one storage port. Both backends (SQLite, PostgreSQL) implement it and pass the
 * same suite (store-suite.ts). Everything stored is ciphertext, peppered hashes or metadata.
 */
import type { AuditEvent, KdfParams, PushOp, PushResult } from '../../shared/protocol';

/** Coded storage failures (expected outcomes like "not found" are `undefined`, not errors). */
export class StoreError extends Error {
  constructor(
    readonly code: 'account-exists' | 'account-not-found' | 'stale-manifest' | 'backend',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** What an account is created with. `verifier` is an encoded, peppered Argon2id hash. */
export interface NewAccount {
  id: string;
  verifier: string;
  kdf: KdfParams;
  /** base64 */
  salt: string;
  /** base64, opaque */
  wrappedAccountKey: string;
  createdAt: number;
}

/** What the relay keeps per account. */
export interface AccountRow extends NewAccount {
  seq: number;
  failedLogins: number;
  lockedUntil: number;
}

export interface Credentials {
  verifier: string;
  kdf: KdfParams;
  salt: string;
  wrappedAccountKey: string;
}

export interface DeviceRow {
  accountId: string;
  id: string;
  name: string;
  createdAt: number;
  lastSeenAt: number;
  lastSyncedAt: number | null;
}

export const TOKEN_KINDS = { access: 'access', refresh: 'refresh' } as const;
export type TokenKind = (typeof TOKEN_KINDS)[keyof typeof TOKEN_KINDS];

/** Tokens are stored only as SHA-256 hashes. A family is one login session on one device. */
export interface TokenRow {
  hash: string;
  accountId: string;
  deviceId: string;
  familyId: string;
  kind: TokenKind;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
}

export interface AuditRow {
  id: number;
  accountId: string;
  event: AuditEvent;
  at: number;
  deviceId: string | null;
  ipTag: string | null;
}
export type NewAudit = Omit<AuditRow, 'id'>;

/** A stored record; `envelope` is absent for tombstones. */
export interface RecordRow {
  collection: string;
  id: string;
  revision: number;
  seq: number;
  deleted: boolean;
  envelope?: Uint8Array;
}

/** A push op with its envelope already decoded and size-checked. */
export type DecodedOp = Omit<PushOp, 'envelope'> & { envelope?: Uint8Array };

/** Per-op result; conflict envelopes stay binary until the route encodes them. */
export type StoredPushResult =
  | Extract<PushResult, { status: 'applied' }>
  | {
      opId: string;
      status: 'conflict';
      current: { revision: number; seq: number; deleted: boolean; envelope?: Uint8Array };
    };

export interface PullPage {
  records: RecordRow[];
  cursor: number;
  hasMore: boolean;
  seq: number;
}

export interface ManifestRow {
  counter: number;
  /** base64, opaque */
  blob: string;
  updatedAt: number;
}

export interface AccountDump {
  account: AccountRow;
  devices: DeviceRow[];
  audit: AuditRow[];
  records: RecordRow[];
  manifest: ManifestRow | undefined;
}

/** The storage port. All methods are safe to call concurrently. */
export interface RelayStore {
  readonly kind: 'sqlite' | 'postgres';

  /** Throws StoreError('account-exists') when the id is taken. */
  createAccount(account: NewAccount): Promise<void>;
  getAccount(id: string): Promise<AccountRow | undefined>;
  /** Replaces the verifier and wrapped key (passphrase change). */
  updateCredentials(id: string, credentials: Credentials): Promise<void>;
  /** Counts a failed login; locks until `lockUntil` once `maxFailures` is reached. Returns the count. */
  recordLoginFailure(id: string, maxFailures: number, lockUntil: number): Promise<number>;
  resetLoginFailures(id: string): Promise<void>;

  upsertDevice(device: { accountId: string; id: string; name: string; now: number }): Promise<void>;
  touchDevice(accountId: string, deviceId: string, now: number, synced: boolean): Promise<void>;
  listDevices(accountId: string): Promise<DeviceRow[]>;
  /** Deletes the device and revokes its tokens. Returns false if it did not exist. */
  deleteDevice(accountId: string, deviceId: string, now: number): Promise<boolean>;

  insertToken(token: TokenRow): Promise<void>;
  getToken(hash: string): Promise<TokenRow | undefined>;
  /** Atomically marks an unused refresh token used. False if it was already used (reuse). */
  markTokenUsed(hash: string, now: number): Promise<boolean>;
  revokeFamily(accountId: string, familyId: string, now: number): Promise<void>;
  /** Revokes every token of the account except those of `keepFamilyId`. */
  revokeOtherFamilies(accountId: string, keepFamilyId: string, now: number): Promise<void>;
  /** Removes tokens that expired before `before`. Returns how many. */
  deleteExpiredTokens(before: number): Promise<number>;

  appendAudit(entry: NewAudit): Promise<void>;
  /** Newest first; `before` is an exclusive id cursor. */
  listAudit(accountId: string, opts: { limit: number; before?: number }): Promise<AuditRow[]>;

  /** Applies ops in one transaction with compare-and-set on revision, idempotent by op id. */
  push(accountId: string, ops: DecodedOp[]): Promise<{ results: StoredPushResult[]; seq: number }>;
  pull(accountId: string, since: number, limit: number): Promise<PullPage>;
  getManifest(accountId: string): Promise<ManifestRow | undefined>;
  /** Throws StoreError('stale-manifest') unless `counter` is greater than the stored one. */
  putManifest(accountId: string, manifest: ManifestRow): Promise<void>;
  /** Forgets remembered op ids older than `before` (clients retry within minutes, not months). */
  pruneOpIds(before: number): Promise<number>;

  exportAccount(accountId: string): Promise<AccountDump | undefined>;
  /** Deletes everything held for the account, in one transaction. False if unknown. */
  purgeAccount(accountId: string): Promise<boolean>;

  close(): Promise<void>;
}
