/** Row ↔ domain mapping shared by the Kysely store files. */
import type { AuditEvent } from '../../shared/protocol';
import type { RelayDatabase } from './schema';
import type { AuditRow, DeviceRow, RecordRow } from './types';

/** Drivers return Buffer (SQLite) or Buffer (pg); hand out plain Uint8Array views. */
export const toBytes = (b: Uint8Array | null): Uint8Array | undefined =>
  b === null ? undefined : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** Driver errors can quote SQL parameters (user ciphertext): match on codes, not messages. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown };
  return (
    e.code === '23505' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

export const toDevice = (r: RelayDatabase['devices']): DeviceRow => ({
  accountId: r.account_id,
  id: r.id,
  name: r.name,
  createdAt: Number(r.created_at),
  lastSeenAt: Number(r.last_seen_at),
  lastSyncedAt: r.last_synced_at === null ? null : Number(r.last_synced_at),
});

export const toRecord = (r: Omit<RelayDatabase['records'], 'account_id'>): RecordRow => {
  const envelope = toBytes(r.envelope);
  return {
    collection: r.collection,
    id: r.id,
    revision: Number(r.revision),
    seq: Number(r.seq),
    deleted: Number(r.deleted) === 1,
    ...(envelope === undefined ? {} : { envelope }),
  };
};

export const toAudit = (r: {
  id: number;
  account_id: string;
  event: string;
  at: number;
  device_id: string | null;
  ip_tag: string | null;
}): AuditRow => ({
  id: Number(r.id),
  accountId: r.account_id,
  event: r.event as AuditEvent,
  at: Number(r.at),
  deviceId: r.device_id,
  ipTag: r.ip_tag,
});
