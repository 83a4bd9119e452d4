/**
 * Turns untrusted import text into a checked `NookExport`. Hostile input is refused before
 * anything is written: over-large files, non-JSON, prototype-polluting keys, a different
 * kind of document, a newer schema version, and anything that does not match the schema.
 */
import { Value } from '@sinclair/typebox/value';
import { EXPORT_KIND, EXPORT_SCHEMA_VERSION, NookExport } from '../../../shared/export/schema';
import { DataError, MAX_IMPORT_BYTES } from './errors';

/** Keys that could reach an object's prototype if some code ever merged them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * JSON.parse that refuses `__proto__`, `constructor` and `prototype` keys anywhere. JSON.parse
 * itself creates them as plain own properties, but a later `Object.assign` or merge would not:
 * refusing them outright means no code downstream has to be careful.
 */
export function parseJsonStrict(text: string): unknown {
  if (text.length > MAX_IMPORT_BYTES) throw new DataError('too-large');
  let forbidden: string | undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
      return value;
    });
  } catch (cause) {
    throw new DataError('not-json', undefined, { cause });
  }
  if (forbidden !== undefined) throw new DataError('forbidden-key', `"${forbidden}"`);
  return parsed;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed document against the published schema and its own consistency. */
export function checkExport(value: unknown): NookExport {
  if (!isObject(value) || value.kind !== EXPORT_KIND) throw new DataError('wrong-kind');
  const version = value.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new DataError('invalid', 'missing schema version');
  }
  if (version > EXPORT_SCHEMA_VERSION) throw new DataError('newer-version');
  if (!Value.Check(NookExport, value)) {
    const first = Value.Errors(NookExport, value).First();
    throw new DataError('invalid', first ? `at ${first.path || '/'}` : undefined);
  }
  for (const name of [
    'conversations',
    'messages',
    'memory',
    'personas',
    'usage',
    'providers',
  ] as const) {
    const seen = new Set<string>();
    for (const r of value[name]) {
      if (seen.has(r.id)) throw new DataError('invalid', `duplicate id in ${name}`);
      seen.add(r.id);
    }
  }
  const conversations = new Set(value.conversations.map((c) => c.id));
  for (const m of value.messages) {
    if (!conversations.has(m.conversationId)) {
      throw new DataError('invalid', 'a message without its conversation');
    }
  }
  return value;
}

/** Parses and checks a Nook JSON export. */
export function parseExport(text: string): NookExport {
  return checkExport(parseJsonStrict(text));
}
