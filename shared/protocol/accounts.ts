import { Type, type Static } from '@sinclair/typebox';
import { AccountId, Base64, Base64Bytes, DeviceId, Timestamp, base64Length } from './common';

/** Argon2id parameters the client used to derive PK (the relay stores them, never checks them). */
export const KdfParams = Type.Object(
  {
    alg: Type.Literal('argon2id'),
    memoryKiB: Type.Integer({ minimum: 1024, maximum: 4 * 1024 * 1024 }),
    iterations: Type.Integer({ minimum: 1, maximum: 64 }),
    parallelism: Type.Integer({ minimum: 1, maximum: 16 }),
  },
  { additionalProperties: false },
);
export type KdfParams = Static<typeof KdfParams>;

/** authKey = HKDF(MUK, "nook/auth/v1"): 32 bytes. The only passphrase-derived value a relay sees. */
export const AuthKey = Base64Bytes(32);
/** 16-byte Argon2id salt for PK. */
export const KdfSalt = Base64Bytes(16);
/** The AK wrapped by KEK (and anything else the client wants kept): opaque, at most 8 KiB. */
export const WrappedAccountKey = Base64({ minLength: 4, maxLength: base64Length(8192) });

/** Device description sent at login. The name is shown in the device list; keep it generic. */
export const DeviceInfo = Type.Object(
  { id: DeviceId, name: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type DeviceInfo = Static<typeof DeviceInfo>;

/** POST /v1/accounts */
export const CreateAccountBody = Type.Object(
  {
    accountId: AccountId,
    authKey: AuthKey,
    kdf: KdfParams,
    salt: KdfSalt,
    wrappedAccountKey: WrappedAccountKey,
    /** Required when the relay's operator set a sign-up code (NOOK_RELAY_SIGNUP_SECRET). */
    signupSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type CreateAccountBody = Static<typeof CreateAccountBody>;
export const CreateAccountReply = Type.Object(
  { accountId: AccountId, createdAt: Timestamp },
  { additionalProperties: false },
);
export type CreateAccountReply = Static<typeof CreateAccountReply>;

/** POST /v1/prelogin: unknown ids get stable fake parameters, so existence is not revealed. */
export const PreloginBody = Type.Object({ accountId: AccountId }, { additionalProperties: false });
export type PreloginBody = Static<typeof PreloginBody>;
export const PreloginReply = Type.Object(
  { kdf: KdfParams, salt: KdfSalt },
  { additionalProperties: false },
);
export type PreloginReply = Static<typeof PreloginReply>;

/** POST /v1/login */
export const LoginBody = Type.Object(
  { accountId: AccountId, authKey: AuthKey, device: DeviceInfo },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

/** Access tokens start `nka_`, refresh tokens `nkr_` (easy to spot for secret scanners). */
export const AccessToken = Type.String({ pattern: '^nka_[A-Za-z0-9_-]{43}$' });
export const RefreshToken = Type.String({ pattern: '^nkr_[A-Za-z0-9_-]{43}$' });

/** Tokens issued by login and refresh. */
export const SessionReply = Type.Object(
  {
    accountId: AccountId,
    deviceId: DeviceId,
    accessToken: Type.String(),
    accessExpiresAt: Timestamp,
    refreshToken: Type.String(),
    refreshExpiresAt: Timestamp,
  },
  { additionalProperties: false },
);
export type SessionReply = Static<typeof SessionReply>;

/** POST /v1/login reply: the session plus what the client needs to unwrap AK. */
export const LoginReply = Type.Object(
  {
    session: SessionReply,
    kdf: KdfParams,
    salt: KdfSalt,
    wrappedAccountKey: WrappedAccountKey,
  },
  { additionalProperties: false },
);
export type LoginReply = Static<typeof LoginReply>;

/** POST /v1/token/refresh */
export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export type RefreshBody = Static<typeof RefreshBody>;

/** GET /v1/devices */
export const DeviceView = Type.Object(
  {
    id: DeviceId,
    name: Type.String(),
    createdAt: Timestamp,
    lastSeenAt: Timestamp,
    lastSyncedAt: Type.Union([Timestamp, Type.Null()]),
    current: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type DeviceView = Static<typeof DeviceView>;
export const DevicesReply = Type.Object(
  { devices: Type.Array(DeviceView) },
  { additionalProperties: false },
);
export type DevicesReply = Static<typeof DevicesReply>;
export const DeviceParams = Type.Object({ id: DeviceId }, { additionalProperties: false });
export type DeviceParams = Static<typeof DeviceParams>;

/** Account events the user can see (as const, not an enum). */
export const AUDIT_EVENTS = [
  'account-created',
  'login',
  'login-failed',
  'logout',
  'token-reuse',
  'device-revoked',
  'passphrase-changed',
  'export',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export const AuditEntry = Type.Object(
  {
    id: Type.Integer(),
    event: Type.Union(AUDIT_EVENTS.map((e) => Type.Literal(e))),
    at: Timestamp,
    deviceId: Type.Union([DeviceId, Type.Null()]),
    /** A keyed hash of the client IP (never the IP): equal tags mean the same address. */
    ipTag: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type AuditEntry = Static<typeof AuditEntry>;
export const AuditQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    before: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;
export const AuditReply = Type.Object(
  { entries: Type.Array(AuditEntry) },
  { additionalProperties: false },
);
export type AuditReply = Static<typeof AuditReply>;

/** POST /v1/account/passphrase: re-authenticates with the current authKey. */
export const ChangePassphraseBody = Type.Object(
  {
    currentAuthKey: AuthKey,
    newAuthKey: AuthKey,
    kdf: KdfParams,
    salt: KdfSalt,
    wrappedAccountKey: WrappedAccountKey,
  },
  { additionalProperties: false },
);
export type ChangePassphraseBody = Static<typeof ChangePassphraseBody>;

/** DELETE /v1/account: re-authenticates with the current authKey. */
export const DeleteAccountBody = Type.Object({ authKey: AuthKey }, { additionalProperties: false });
export type DeleteAccountBody = Static<typeof DeleteAccountBody>;
