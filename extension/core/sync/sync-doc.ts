/**
 * The sync plaintext wrapper: what sits inside every synced envelope. The app's value is
 * wrapped with the clock stamps the merge rules need, so the relay sees none of them.
 *
 * - `fields` documents (conversations, settings, …): `{ name: { value, hlc } }`, merged
 *   per field, last writer wins by HLC.
 * - `body` documents (messages, memory, ledger): one opaque body and the stamp of the write;
 *   `conflictOf` marks a memory conflict copy.
 */
import { SyncError } from './errors';
import { parseHlc } from './hlc';

/** JSON values (what `JSON.parse` returns). */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One last-writer-wins field. */
export interface FieldEntry {
  value: JsonValue;
  /** Serialised HLC of the write. */
  hlc: string;
}

/** A document merged field by field. */
export interface FieldsDoc {
  v: 1;
  kind: 'fields';
  fields: Record<string, FieldEntry>;
}

/** A document merged as a whole (immutable messages, keep-both memory). */
export interface BodyDoc {
  v: 1;
  kind: 'body';
  body: JsonValue;
  hlc: string;
  /** Set on a memory conflict copy: the id of the record it lost against. */
  conflictOf?: string;
}

/** The plaintext of every synced envelope. */
export type SyncDoc = FieldsDoc | BodyDoc;

/** How a collection merges (as const, not an enum). */
export const MERGE_POLICIES = {
  /** Per-field last-writer-wins (conversations, settings, personas, …). */
  lww: 'lww',
  /** Write once; a different second version is a conflict that keeps the first. */
  immutable: 'immutable',
  /** Whole-record; concurrent edits keep both (the loser becomes a conflict copy). */
  keepBoth: 'keep-both',
} as const;
/** Union of {@link MERGE_POLICIES} values. */
export type MergePolicy = (typeof MERGE_POLICIES)[keyof typeof MERGE_POLICIES];

/** Default policy per collection (collections of shared/crypto `COLLECTIONS`). */
export const DEFAULT_POLICIES: Readonly<Record<string, MergePolicy>> = {
  conversations: 'lww',
  messages: 'immutable',
  memory: 'keep-both',
  settings: 'lww',
  secrets: 'lww',
  personas: 'lww',
  prompts: 'lww',
  usage: 'lww',
  ledger: 'immutable',
};

/** The document kind a policy uses. */
export function kindFor(policy: MergePolicy): SyncDoc['kind'] {
  return policy === 'lww' ? 'fields' : 'body';
}

/** Deterministic JSON: object keys sorted, so equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** Deep equality of two documents (or bodies) by canonical JSON. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function bad(what: string): SyncError {
  return new SyncError('bad-record', `A synced record is not a valid sync document (${what}).`);
}

/**
 * Validates an (authentic, decrypted) document against the collection's policy.
 * Authentic-but-invalid content comes from a buggy or newer peer: SyncError('bad-record').
 */
export function parseSyncDoc(raw: unknown, policy: MergePolicy): SyncDoc {
  if (!isRecord(raw) || raw.v !== 1) throw bad('version');
  if (raw.kind !== kindFor(policy)) throw bad('kind');
  if (raw.kind === 'fields') {
    if (!isRecord(raw.fields)) throw bad('fields');
    const fields: Record<string, FieldEntry> = {};
    for (const [name, entry] of Object.entries(raw.fields)) {
      if (!isRecord(entry) || !('value' in entry)) throw bad('field');
      parseHlc(entry.hlc);
      fields[name] = { value: entry.value as JsonValue, hlc: entry.hlc as string };
    }
    return { v: 1, kind: 'fields', fields };
  }
  if (!('body' in raw)) throw bad('body');
  parseHlc(raw.hlc);
  const doc: BodyDoc = { v: 1, kind: 'body', body: raw.body as JsonValue, hlc: raw.hlc as string };
  if (raw.conflictOf !== undefined) {
    if (typeof raw.conflictOf !== 'string') throw bad('conflictOf');
    doc.conflictOf = raw.conflictOf;
  }
  return doc;
}

/** Every stamp a document carries (the engine feeds them to its clock). */
export function docStamps(doc: SyncDoc): string[] {
  return doc.kind === 'fields' ? Object.values(doc.fields).map((f) => f.hlc) : [doc.hlc];
}

/** The app-facing value: a fields document becomes a plain object. */
export function docValue(doc: SyncDoc): JsonValue {
  if (doc.kind === 'body') return doc.body;
  const out: Record<string, JsonValue> = {};
  for (const [k, f] of Object.entries(doc.fields)) out[k] = f.value;
  return out;
}
