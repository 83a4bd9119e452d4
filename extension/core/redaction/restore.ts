import { MAX_PLACEHOLDER_LENGTH, PLACEHOLDER_PATTERN } from './scanner';
import { FindingKind, RedactionError, type RedactionMap } from './types';

const KINDS: ReadonlySet<string> = new Set(Object.values(FindingKind));

/** Builds the placeholder → original lookup, rejecting a malformed (e.g. tampered) map. */
function lookup(map: RedactionMap): ReadonlyMap<string, string> {
  if (map.version !== 1 || !Array.isArray(map.entries)) throw new RedactionError('bad-map');
  const out = new Map<string, string>();
  for (const e of map.entries) {
    if (
      typeof e.placeholder !== 'string' ||
      typeof e.original !== 'string' ||
      !KINDS.has(e.kind) ||
      !/^\[[A-Z][A-Z_]{0,30}_\d{1,6}\]$/.test(e.placeholder)
    ) {
      throw new RedactionError('bad-map');
    }
    out.set(e.placeholder, e.original);
  }
  return out;
}

function replaceWith(text: string, table: ReadonlyMap<string, string>): string {
  if (table.size === 0 || !text.includes('[')) return text;
  // Unknown placeholders (ones the user typed, or the model invented) stay as they are.
  return text.replace(PLACEHOLDER_PATTERN, (whole) => table.get(whole) ?? whole);
}

/** Puts the originals back into an answer, locally, for display. */
export function restore(answerText: string, map: RedactionMap): string {
  return replaceWith(answerText, lookup(map));
}

/** Restores a streamed answer chunk by chunk. */
export interface StreamRestorer {
  /** Returns the text that is safe to show now; may hold back a partial `[SECR…` tail. */
  push(delta: string): string;
  /** Returns whatever was held back (call once the stream ends). */
  flush(): string;
}

/** `[`, `[SEC`, `[SECRET_`, `[SECRET_1` — could still become a placeholder. */
const PARTIAL = /^\[(?:[A-Z][A-Z_]{0,30}\d{0,6})?$/;

/**
 * A restorer for streamed answers: a placeholder split across chunks (`…[SECR` + `ET_1]…`)
 * is held back until it is complete, so the user never sees half a placeholder flash and
 * the original is still put back. At most one placeholder's length is ever held.
 */
export function createStreamRestorer(map: RedactionMap): StreamRestorer {
  const table = lookup(map);
  let held = '';
  return {
    push(delta) {
      const buf = held + delta;
      const open = buf.lastIndexOf('[');
      if (
        open !== -1 &&
        buf.length - open < MAX_PLACEHOLDER_LENGTH &&
        PARTIAL.test(buf.slice(open))
      ) {
        held = buf.slice(open);
        return replaceWith(buf.slice(0, open), table);
      }
      held = '';
      return replaceWith(buf, table);
    },
    flush() {
      const out = replaceWith(held, table);
      held = '';
      return out;
    },
  };
}
