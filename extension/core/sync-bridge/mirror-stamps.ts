/**
 * The base of the bridge's 3-way diff: what the bridge remembers, per record, of the engine's
 * field stamps when it last mirrored the record (either way). A field the repo and the engine
 * disagree on is a local change only if its engine stamp is still the remembered one; a moved
 * stamp means the relay changed the field since, and the remote value stands.
 *
 * A base is one short string: for each field on which the repo and the engine agreed, a
 * 32-bit digest of (field name, HLC stamp), sorted and joined by '.'. A record with no field
 * stamps (a body record: memory) gets '' ("the engine has it"). Stamps are timing metadata,
 * not content, and a digest is ~7 characters where a stamp is ~40, so thousands of records
 * stay small. A digest collision (odds ~2^-32 per field) only restores the plain 2-way diff
 * for that field.
 */
import type { SyncedValue } from '../sync/sync-engine';
import type { JsonValue } from '../sync/sync-doc';
import { canonicalJson } from './json-diff';

/** Record key (`collection/id`) → base. */
export type MirrorStamps = Record<string, string>;

/** FNV-1a (32-bit) of `field \0 hlc`, in base 36. */
function digest(field: string, hlc: string): string {
  let h = 0x811c9dc5;
  const s = `${field}\u0000${hlc}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** The base for a record whose repo value is `repo` and engine value `engine`. */
export function stampsBase(repo: Record<string, JsonValue>, engine: SyncedValue): string {
  if (engine.stamps === undefined) return '';
  const value = engine.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '';
  const out: string[] = [];
  for (const [field, hlc] of Object.entries(engine.stamps)) {
    // The app models an optional field as absent; the engine holds it as null.
    const same = canonicalJson(repo[field] ?? null) === canonicalJson(value[field] ?? null);
    if (same) out.push(digest(field, hlc));
  }
  return out.sort().join('.');
}

/**
 * Drops from `fields` (a local change) every field whose engine stamp moved since `base`:
 * the relay changed it after the last mirror, so the repo holds a stale value. Concurrent
 * edits of one field (relay and repo) therefore end with the remote value.
 */
export function withoutRemoteMoves(
  fields: Record<string, JsonValue>,
  base: string,
  stamps: Readonly<Record<string, string>>,
): Record<string, JsonValue> {
  const known = new Set(base.split('.'));
  const out: Record<string, JsonValue> = {};
  for (const [field, value] of Object.entries(fields)) {
    const hlc = Object.hasOwn(stamps, field) ? stamps[field] : undefined;
    // A field the engine never had is a local addition.
    if (hlc === undefined || known.has(digest(field, hlc))) out[field] = value;
  }
  return out;
}

/** The bases of one bridge step, with a note of whether any changed (to save them). */
export function stampBook(all: MirrorStamps) {
  let changed = false;
  return {
    all,
    get changed() {
      return changed;
    },
    get: (key: string): string | undefined => (Object.hasOwn(all, key) ? all[key] : undefined),
    /** Sets (or with undefined, drops) the base of `key`. */
    set(key: string, base: string | undefined) {
      if (base === undefined) {
        if (!Object.hasOwn(all, key)) return;
        delete all[key];
      } else if (all[key] === base) return;
      else all[key] = base;
      changed = true;
    },
  };
}
/** See {@link stampBook}. */
export type StampBook = ReturnType<typeof stampBook>;
