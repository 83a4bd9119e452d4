/**
 * The port core code uses to read and write encrypted records. The Dexie-backed
 * implementation lives in `adapters/db/record-repo.ts`; core never sees envelopes.
 */

/** Why a single record could not be read (or, `exists`, added: `BulkRecordRepo.addMany`). */
export const RECORD_ERROR_CODE = [
  'decrypt-failed',
  'not-found',
  'deleted',
  'locked',
  'exists',
] as const;
export type RecordErrorCode = (typeof RECORD_ERROR_CODE)[number];

/** A typed failure to read or write one record; never carries plaintext. */
export class RecordError extends Error {
  readonly code: RecordErrorCode;
  readonly recordId: string | undefined;
  constructor(code: RecordErrorCode, recordId?: string, options?: { cause?: unknown }) {
    super(RECORD_ERROR_MESSAGE[code], options);
    this.name = 'RecordError';
    this.code = code;
    this.recordId = recordId;
  }
}

/** Plain words for the user; the same text the UI shows beside a broken item. */
export const RECORD_ERROR_MESSAGE: Record<RecordErrorCode, string> = {
  'decrypt-failed': 'This item could not be decrypted; it may be damaged.',
  'not-found': 'This item no longer exists.',
  deleted: 'This item was deleted.',
  locked: 'Nook is locked. Unlock it to continue.',
  exists: 'This item already exists.',
};

/** One record of a list: either its decrypted value or why it could not be read. */
export type RecordResult<T> =
  | { ok: true; id: string; rev: number; updatedAt: number; value: T }
  | { ok: false; id: string; rev: number; updatedAt: number; error: RecordError };

/** Which rows to list: all, those whose plain index equals a value, or a range. */
export type RecordQuery =
  | { kind: 'all' }
  | { kind: 'equals'; index: string; value: string | number }
  | { kind: 'between'; index: string; lower: number; upper: number };

/** Encrypted CRUD over one collection. Tombstones are hidden from get/list. */
export interface RecordRepo<T> {
  /** Seals `value` under a new revision; returns that revision. */
  put(id: string, value: T): Promise<number>;
  /** Decrypts one record; throws RecordError (`not-found`, `deleted`, `decrypt-failed`). */
  get(id: string): Promise<T>;
  /**
   * Lists live records; one damaged record yields `{ ok: false }` without failing the rest.
   * A record in `known` whose revision is unchanged is returned as that same object without
   * being decrypted again (a re-read of what this unlocked page already opened).
   */
  list(
    query?: RecordQuery,
    known?: ReadonlyMap<string, RecordResult<T>>,
  ): Promise<RecordResult<T>[]>;
  /** Replaces the record by a tombstone whose envelope holds nothing. */
  delete(id: string): Promise<void>;
}
