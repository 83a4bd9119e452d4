import { Type, type Static, type TString } from '@sinclair/typebox';
import { Base64, Timestamp } from './common';

/** Default cap on one record envelope (the relay's limit is configurable; this is the default). */
export const DEFAULT_MAX_ENVELOPE_BYTES = 1024 * 1024;
/** Default cap on the ops in one push. */
export const DEFAULT_MAX_OPS_PER_PUSH = 500;
/** Largest `limit` a pull may ask for. */
export const MAX_PULL_LIMIT = 1000;

/** Collection names are plain (the relay needs them for queries); keep them generic. */
export const Collection = Type.String({ pattern: '^[a-z][a-z0-9_-]{0,31}$' });
/** Record ids are client-generated random ids. */
export const RecordId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
/** Client op ids make pushes idempotent: a replayed op id returns the original result. */
export const OpId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
/** Record revisions: 0 means "absent"; every write must raise it. */
export const Revision = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
/** Per-account sequence number; only grows. */
export const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
/** Longest envelope text either end accepts (64 MiB of bytes as base64). */
const ENVELOPE_MAX_CHARS = Math.ceil((64 * 1024 * 1024) / 3) * 4;
/** An encrypted record envelope (opaque to the relay). */
export const Envelope = Base64({ maxLength: ENVELOPE_MAX_CHARS });
/**
 * An envelope in a relay reply, as the client checks it: a length-bounded string without the
 * base64 pattern. The client decodes every served envelope with the strict `fromBase64`
 * (shared/crypto) before using it, which refuses the same strings the pattern would, so the
 * pattern would only check each envelope twice. The relay validates what clients send with
 * {@link Envelope}.
 */
export const ServedEnvelope = Type.String({ maxLength: ENVELOPE_MAX_CHARS });

/**
 * One write. Applied only if the stored revision equals `baseRevision` (0 = must not exist).
 * A tombstone (`deleted: true`) carries no envelope; the relay drops the old one.
 */
export const PushOp = Type.Object(
  {
    opId: OpId,
    collection: Collection,
    id: RecordId,
    baseRevision: Revision,
    revision: Revision,
    deleted: Type.Boolean(),
    envelope: Type.Optional(Envelope),
  },
  { additionalProperties: false },
);
export type PushOp = Static<typeof PushOp>;

/** POST /v1/sync/push */
export const PushBody = Type.Object(
  { ops: Type.Array(PushOp, { minItems: 1, maxItems: 10_000 }) },
  { additionalProperties: false },
);
export type PushBody = Static<typeof PushBody>;

const serverRecord = (envelope: TString) =>
  Type.Object(
    {
      collection: Collection,
      id: RecordId,
      revision: Revision,
      seq: Seq,
      deleted: Type.Boolean(),
      envelope: Type.Optional(envelope),
    },
    { additionalProperties: false },
  );

/** The server's copy of a record (tombstones have no envelope). */
export const ServerRecord = serverRecord(Envelope);
export type ServerRecord = Static<typeof ServerRecord>;

const pushResult = (envelope: TString) =>
  Type.Union([
    Type.Object(
      { opId: OpId, status: Type.Literal('applied'), revision: Revision, seq: Seq },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        opId: OpId,
        status: Type.Literal('conflict'),
        /** `revision: 0` means the record does not exist on the server. */
        current: Type.Object(
          {
            revision: Revision,
            seq: Seq,
            deleted: Type.Boolean(),
            envelope: Type.Optional(envelope),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
  ]);

/** Per-op outcome. A conflict carries the current server state so the client can merge. */
export const PushResult = pushResult(Envelope);
export type PushResult = Static<typeof PushResult>;

const pushReply = (envelope: TString) =>
  Type.Object(
    { results: Type.Array(pushResult(envelope)), seq: Seq },
    { additionalProperties: false },
  );
export const PushReply = pushReply(Envelope);
export type PushReply = Static<typeof PushReply>;
/** {@link PushReply} as the client checks it (see {@link ServedEnvelope}). */
export const PushReplyServed = pushReply(ServedEnvelope);

/** GET /v1/sync/pull?since=SEQ&limit=N */
export const PullQuery = Type.Object(
  {
    since: Type.Optional(Seq),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PULL_LIMIT })),
  },
  { additionalProperties: false },
);
export type PullQuery = Static<typeof PullQuery>;
const pullReply = (envelope: TString) =>
  Type.Object(
    {
      records: Type.Array(serverRecord(envelope)),
      /** Pass as `since` next time. */
      cursor: Seq,
      hasMore: Type.Boolean(),
      /** The account's current seq. */
      seq: Seq,
    },
    { additionalProperties: false },
  );
export const PullReply = pullReply(Envelope);
export type PullReply = Static<typeof PullReply>;
/** {@link PullReply} as the client checks it (see {@link ServedEnvelope}). */
export const PullReplyServed = pullReply(ServedEnvelope);

/** PUT /v1/sync/manifest: an opaque MACed blob; the relay checks only that `counter` grows. */
export const ManifestBody = Type.Object(
  {
    counter: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    blob: Base64({ minLength: 4, maxLength: Math.ceil((1024 * 1024) / 3) * 4 }),
  },
  { additionalProperties: false },
);
export type ManifestBody = Static<typeof ManifestBody>;
export const ManifestReply = Type.Object(
  {
    counter: Type.Integer({ minimum: 1 }),
    blob: Type.String(),
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type ManifestReply = Static<typeof ManifestReply>;
