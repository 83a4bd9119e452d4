import { Type, type Static } from '@sinclair/typebox';
import { AccountId, Timestamp } from './common';
import { AuditEntry, DeviceView, KdfParams } from './accounts';
import { ManifestReply, Seq, ServerRecord } from './sync';

/**
 * GET /v1/account/export: everything the relay holds for the account. Server-side credential
 * material (the peppered verifier, token hashes) is listed by kind only: it is useless outside
 * the relay and would only add an offline-attack target to the user's download.
 */
export const AccountExport = Type.Object(
  {
    protocolVersion: Type.Integer(),
    exportedAt: Timestamp,
    account: Type.Object(
      {
        id: AccountId,
        createdAt: Timestamp,
        kdf: KdfParams,
        salt: Type.String(),
        wrappedAccountKey: Type.String(),
        seq: Seq,
      },
      { additionalProperties: false },
    ),
    devices: Type.Array(DeviceView),
    audit: Type.Array(AuditEntry),
    records: Type.Array(ServerRecord),
    manifest: Type.Union([ManifestReply, Type.Null()]),
    withheld: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type AccountExport = Static<typeof AccountExport>;
