/**
 * Access and refresh tokens. Both are random 256-bit strings stored only as SHA-256 hashes.
 * A family is one login on one device: refresh rotates within it, and presenting an
 * already-rotated refresh token (a stolen copy racing the real client) revokes the family.
 */
import { ERROR_CODES, type SessionReply } from '../../shared/protocol';
import { errors, RelayError } from '../errors';
import type { RelayStore } from '../store/types';
import { hashToken, newId, newToken } from './secrets';

/** Who an access token belongs to. */
export interface Session {
  accountId: string;
  deviceId: string;
  familyId: string;
  expiresAt: number;
}

export interface SessionService {
  issue(accountId: string, deviceId: string, familyId?: string): Promise<SessionReply>;
  /** Rotates a refresh token. Throws RelayError 401 (`token-reused` when a family is burnt). */
  refresh(refreshToken: string): Promise<SessionReply>;
  /** Resolves a bearer access token. Throws RelayError 401. */
  authenticate(accessToken: string): Promise<Session>;
}

/** Creates the token service over the store. `onReuse` records the audit event. */
export function createSessionService(deps: {
  store: RelayStore;
  accessTtlMs: number;
  refreshTtlMs: number;
  now: () => number;
  onReuse: (accountId: string, deviceId: string) => Promise<void>;
}): SessionService {
  const { store, now } = deps;

  async function issue(accountId: string, deviceId: string, familyId = newId()) {
    const t = now();
    const accessToken = newToken('nka_');
    const refreshToken = newToken('nkr_');
    const base = { accountId, deviceId, familyId, createdAt: t, usedAt: null, revokedAt: null };
    const accessExpiresAt = t + deps.accessTtlMs;
    const refreshExpiresAt = t + deps.refreshTtlMs;
    await store.insertToken({
      ...base,
      hash: hashToken(accessToken),
      kind: 'access',
      expiresAt: accessExpiresAt,
    });
    await store.insertToken({
      ...base,
      hash: hashToken(refreshToken),
      kind: 'refresh',
      expiresAt: refreshExpiresAt,
    });
    return { accountId, deviceId, accessToken, accessExpiresAt, refreshToken, refreshExpiresAt };
  }

  return {
    issue,

    async refresh(refreshToken) {
      const row = await store.getToken(hashToken(refreshToken));
      const t = now();
      if (row === undefined || row.kind !== 'refresh' || row.revokedAt !== null) {
        throw errors.unauthorized('Sign in again: the refresh token is invalid or revoked.');
      }
      if (row.expiresAt <= t) {
        throw new RelayError(ERROR_CODES.tokenExpired, 401, 'Sign in again: the session expired.');
      }
      // markTokenUsed is atomic, so of two racing presenters exactly one wins.
      if (row.usedAt !== null || !(await store.markTokenUsed(row.hash, t))) {
        await store.revokeFamily(row.accountId, row.familyId, t);
        await deps.onReuse(row.accountId, row.deviceId);
        throw new RelayError(
          ERROR_CODES.tokenReused,
          401,
          'This refresh token was already used, so the session was ended on every copy. Sign in again.',
        );
      }
      // The previous access token of this family stays valid until it expires (≤ access TTL).
      return issue(row.accountId, row.deviceId, row.familyId);
    },

    async authenticate(accessToken) {
      const row = await store.getToken(hashToken(accessToken));
      if (row === undefined || row.kind !== 'access' || row.revokedAt !== null) {
        throw errors.unauthorized();
      }
      if (row.expiresAt <= now()) {
        throw new RelayError(
          ERROR_CODES.tokenExpired,
          401,
          'The access token expired: refresh it.',
        );
      }
      return {
        accountId: row.accountId,
        deviceId: row.deviceId,
        familyId: row.familyId,
        expiresAt: row.expiresAt,
      };
    },
  };
}
