/** Kysely table types shared by both dialects (snake_case columns, numbers for bigints). */
import type { Generated } from 'kysely';

export interface AccountsTable {
  id: string;
  verifier: string;
  kdf: string;
  salt: string;
  wrapped_key: string;
  created_at: number;
  seq: number;
  failed_logins: number;
  locked_until: number;
  last_push_at: number;
}

export interface DevicesTable {
  account_id: string;
  id: string;
  name: string;
  created_at: number;
  last_seen_at: number;
  last_synced_at: number | null;
}

export interface TokensTable {
  hash: string;
  account_id: string;
  device_id: string;
  family_id: string;
  kind: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export interface AuditTable {
  id: Generated<number>;
  account_id: string;
  event: string;
  at: number;
  device_id: string | null;
  ip_tag: string | null;
}

export interface RecordsTable {
  account_id: string;
  collection: string;
  id: string;
  revision: number;
  seq: number;
  /** 0/1: portable across SQLite and PostgreSQL. */
  deleted: number;
  envelope: Uint8Array | null;
}

export interface OpIdsTable {
  account_id: string;
  op_id: string;
  result: string;
  created_at: number;
}

export interface ManifestsTable {
  account_id: string;
  counter: number;
  blob: string;
  updated_at: number;
}

export interface RelayDatabase {
  accounts: AccountsTable;
  devices: DevicesTable;
  tokens: TokensTable;
  audit: AuditTable;
  records: RecordsTable;
  op_ids: OpIdsTable;
  manifests: ManifestsTable;
}
