/**
 * Splits markdown into top-level blocks so a streaming answer re-renders only its tail.
 *
 * Each block is rendered by its own memoised component: when the model appends a
 * delta, every block but the last keeps the same source string and React skips it
 * (its parsing, sanitising and highlighting included). The split itself is incremental:
 * when the new text extends the previous one, only the text from the last settled
 * boundary (see `isSettled`) is parsed again, since appended text can change the blocks
 * after it (a setext underline, a table delimiter row, a lazy continuation, a closing
 * fence, a list item joining the list above) but never the blocks before it.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { exceedsNesting } from './nesting-guard.ts';

type BlockBase = {
  /** Offset of the block's first line in the full text. */
  readonly start: number;
  /** Source from the block's first line up to the next block (or the end). */
  readonly source: string;
};

/**
 * One top-level block. `code` blocks were fully parsed here already and skip the
 * markdown renderer (the usual huge block); `plain` blocks are shown as text because
 * parsing them would be too costly or failed.
 */
export type MarkdownBlockSource =
  | (BlockBase & { readonly kind: 'markdown' })
  | (BlockBase & { readonly kind: 'code'; readonly language: string; readonly code: string })
  | (BlockBase & { readonly kind: 'plain' });

/** Counters a test can read to prove streaming stays linear. */
export type BlockSplitterStats = {
  /** Characters handed to the markdown parser since creation. */
  readonly parsedChars: number;
};

/** Incremental splitter; one per rendered message. */
export type BlockSplitter = {
  /** Blocks of `text`, reusing the previous parse when `text` extends the last text. */
  readonly split: (text: string) => readonly MarkdownBlockSource[];
  readonly stats: () => BlockSplitterStats;
};

const parser = unified().use(remarkParse).use(remarkGfm);

/**
 * Reference-style definitions (`[id]: url`, `[^1]: note`) act across blocks: a block
 * rendered alone would lose them. Their presence (even a false positive, e.g. inside a
 * code block) turns splitting off for the whole text, which costs speed, not output.
 */
const DEFINITION_LINE = /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*\[[^\]\n]+\]:/m;

/**
 * A block plus whether the boundary before it is settled: no appended text can move
 * it. Unsettled boundaries exist because a new block can interrupt the paragraph above
 * it (a table header, a list, a setext underline) and later text can undo that.
 */
type Entry = { readonly block: MarkdownBlockSource; readonly settled: boolean };

type Parsed = ReturnType<typeof parser.parse>['children'][number];

const FENCE = /^ {0,3}(?:`{3,}|~{3,})/;
const BLANK_LINE = /\n[ \t]*\n/;

/** Whether a `code` node is fenced (``` or ~~~) rather than indented. */
function isFenced(slice: string, node: Parsed): boolean {
  const start = node.position?.start.offset ?? 0;
  return FENCE.test(slice.slice(slice.lastIndexOf('\n', start - 1) + 1, start + 4));
}

/**
 * Whether the boundary between `previous` and `next` (starting at `lineStart`) is
 * settled. Blocks that never continue (a heading, a thematic break, a closed fenced
 * code block: something follows it) settle it at once. Otherwise a blank line must
 * separate the two blocks (no paragraph continues across one) and the next block's
 * first line must be complete: a list does continue across blank lines, and a
 * half-written line (`1` of `1. item`) could still join it.
 *
 * Indented code on either side never settles: micromark parses around it differently
 * in context than alone (after an empty list item two indented lines become two code
 * blocks; after indented code `-` + a line becomes one paragraph). Models fence their
 * code, so this costs little.
 */
function isSettled(slice: string, previous: Parsed, next: Parsed, lineStart: number): boolean {
  const end = previous.position?.end.offset;
  if (end === undefined) return false;
  if (next.type === 'code' && !isFenced(slice, next)) return false;
  if (previous.type === 'code') return isFenced(slice, previous);
  if (previous.type === 'heading' || previous.type === 'thematicBreak') return true;
  return BLANK_LINE.test(slice.slice(end, lineStart)) && slice.includes('\n', lineStart);
}

/** Create a splitter with its own incremental cache. */
export function createBlockSplitter(): BlockSplitter {
  let lastText = '';
  let lastEntries: readonly Entry[] = [];
  let lastBlocks: readonly MarkdownBlockSource[] = [];
  let incremental = false;
  let parsedChars = 0;

  const parseFrom = (text: string, from: number, firstSettled: boolean): Entry[] => {
    const slice = text.slice(from);
    parsedChars += slice.length;
    let children: Parsed[];
    try {
      children = parser.parse(slice).children;
    } catch {
      // Stack exhaustion on pathological input: show it as text, keep the panel alive.
      return [{ block: { kind: 'plain', start: from, source: slice }, settled: firstSettled }];
    }
    const marks: { at: number; node: Parsed | undefined; settled: boolean }[] = [];
    let previousNode: Parsed | undefined;
    for (const child of children) {
      const offset = child.position?.start.offset;
      if (offset === undefined) continue;
      // Back up to the start of the line so indentation stays part of the block; the
      // first block also takes any leading blank lines.
      const at = marks.length === 0 ? 0 : slice.lastIndexOf('\n', offset - 1) + 1;
      const previous = marks[marks.length - 1];
      if (previous && at <= previous.at) {
        // Two top-level nodes on one line should not happen; render them together.
        previous.node = undefined;
      } else {
        const settled =
          previous && previousNode ? isSettled(slice, previousNode, child, at) : firstSettled;
        marks.push({ at, node: child, settled });
      }
      previousNode = child;
    }
    if (marks.length === 0) marks.push({ at: 0, node: undefined, settled: firstSettled });
    return marks.map(({ at, node, settled }, i): Entry => {
      const source = slice.slice(at, marks[i + 1]?.at ?? slice.length);
      const start = from + at;
      const block: MarkdownBlockSource =
        node?.type === 'code'
          ? { kind: 'code', start, source, language: node.lang ?? '', code: node.value }
          : { kind: 'markdown', start, source };
      return { block, settled };
    });
  };

  const entriesFor = (text: string): readonly Entry[] => {
    if (exceedsNesting(text)) {
      incremental = false;
      return [{ block: { kind: 'plain', start: 0, source: text }, settled: true }];
    }
    if (DEFINITION_LINE.test(text)) {
      incremental = false;
      parsedChars += text.length;
      return [{ block: { kind: 'markdown', start: 0, source: text }, settled: true }];
    }
    const extend = incremental && lastEntries.length > 0 && text.startsWith(lastText);
    incremental = true;
    if (!extend) return parseFrom(text, 0, true);
    // Re-parse from the last settled boundary (usually the start of the last block).
    let restart = lastEntries.length - 1;
    while (restart > 0 && !lastEntries[restart]?.settled) restart -= 1;
    const from = lastEntries[restart];
    if (!from) return parseFrom(text, 0, true);
    return [...lastEntries.slice(0, restart), ...parseFrom(text, from.block.start, from.settled)];
  };

  const split = (text: string): readonly MarkdownBlockSource[] => {
    if (text === lastText && lastBlocks.length > 0) return lastBlocks;
    lastEntries = entriesFor(text);
    lastBlocks = lastEntries.map((entry) => entry.block);
    lastText = text;
    return lastBlocks;
  };

  return { split, stats: () => ({ parsedChars }) };
}
