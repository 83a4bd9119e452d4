/**
 * Cheap pre-check against container nesting bombs. The markdown parser's cost grows
 * with the square of the nesting depth (200 nested list levels: ~0.4 s; 400: ~2 s)
 * and ~10,000 nested quotes exhaust the stack, so a hostile answer could freeze the
 * panel. No real answer nests anywhere near {@link MAX_NESTING}; past it the message
 * is shown as plain text instead of being parsed.
 */

/** Deepest container nesting (quotes + list levels) rendered as markdown. */
export const MAX_NESTING = 32;

const SPACE = 32;
const TAB = 9;
const GT = 62;
const DOT = 46;
const PAREN = 41;

const isBlank = (code: number): boolean => code === SPACE || code === TAB;
const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isBullet = (code: number): boolean => code === 45 || code === 42 || code === 43; // - * +

/**
 * Estimate, line by line in one linear pass, the container depth the parser would
 * build: each `>` counts one, each list marker one plus half the indentation before it
 * (nested lists are expressed by indentation). An over-estimate only costs formatting.
 */
export function exceedsNesting(text: string, max: number = MAX_NESTING): boolean {
  const length = text.length;
  let i = 0;
  while (i < length) {
    let depth = 0;
    for (;;) {
      let indent = 0;
      while (i < length && isBlank(text.charCodeAt(i))) {
        indent += text.charCodeAt(i) === TAB ? 4 : 1;
        i += 1;
      }
      const code = text.charCodeAt(i);
      if (code === GT) {
        depth += 1;
        i += 1;
        continue;
      }
      if (isBullet(code) && isBlank(text.charCodeAt(i + 1))) {
        depth += 1 + Math.floor(indent / 2);
        i += 2;
        continue;
      }
      let j = i;
      while (j < length && j - i < 9 && isDigit(text.charCodeAt(j))) j += 1;
      const after = text.charCodeAt(j);
      if (j > i && (after === DOT || after === PAREN) && isBlank(text.charCodeAt(j + 1))) {
        depth += 1 + Math.floor(indent / 2);
        i = j + 2;
        continue;
      }
      break;
    }
    if (depth > max) return true;
    const newline = text.indexOf('\n', i);
    if (newline === -1) break;
    i = newline + 1;
  }
  return false;
}
