/** JSON helpers of the bridge: plain-object check, canonical form, and field diff. */
import type { JsonValue } from '../sync/sync-doc';

/** Thrown when a record is not a plain JSON object (it is then never synced). */
export class BridgeValueError extends Error {
  readonly code = 'not-json-object' as const;
  constructor() {
    super('This record is not a plain JSON object and cannot be synced.');
    this.name = 'BridgeValueError';
  }
}

/**
 * The record as a JSON object: a JSON round trip drops `undefined` fields exactly as the
 * repo's own JSON sealing does, so both sides compare equal.
 */
export function toJsonObject(value: unknown): Record<string, JsonValue> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BridgeValueError();
  }
  return JSON.parse(JSON.stringify(value)) as Record<string, JsonValue>;
}

/** JSON with object keys sorted, so equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Fields of `next` that differ from `previous` (all of them when there is no previous
 * object). A field removed locally is sent as `null`: LWW documents have no field delete.
 */
export function changedFields(
  previous: JsonValue | undefined,
  next: Record<string, JsonValue>,
): Record<string, JsonValue> {
  const prev =
    typeof previous === 'object' && previous !== null && !Array.isArray(previous)
      ? previous
      : undefined;
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(next)) {
    if (prev === undefined || canonicalJson(prev[k]) !== canonicalJson(v)) out[k] = v;
  }
  if (prev !== undefined) {
    for (const k of Object.keys(prev))
      if (!Object.hasOwn(next, k) && prev[k] !== null) out[k] = null;
  }
  return out;
}

/** Drops top-level `null` fields: the app models optional fields as absent, never null. */
export function withoutNullFields(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}
