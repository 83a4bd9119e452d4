/**
 * Change tokens of stored rows, read without decrypting: a row's plain fields and the last
 * bytes of its envelope (the authentication tag: every write seals afresh, so a rewrite
 * under an equal revision, as a restore or sync may do, still changes it). They reveal
 * nothing the rows do not already show. Caches compare them to skip re-reading unchanged
 * records (providers, settings, usage).
 */

/** The plain part of a stored row a token is made from. */
export interface StampedRow {
  id: string;
  rev: number;
  deleted: number;
  env: Uint8Array;
}

/** Per row id, a token that changes whenever the row does. */
export type RowTokens = ReadonlyMap<string, string>;

const tokenOf = (r: StampedRow): string =>
  `${r.rev}:${r.deleted}:${[...r.env.subarray(-8)].join('.')}`;

/** The token of every row, by id. */
export function rowTokens(rows: readonly StampedRow[]): RowTokens {
  return new Map(rows.map((r) => [r.id, tokenOf(r)]));
}

/** One stamp for a set of rows (order-independent). */
export function rowsStamp(rows: readonly StampedRow[]): string {
  return rows
    .map((r) => `${r.id}:${tokenOf(r)}`)
    .sort()
    .join('|');
}
