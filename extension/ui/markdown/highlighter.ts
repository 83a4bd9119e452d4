/**
 * Syntax highlighting for code blocks in model output.
 *
 * lowlight (highlight.js grammars, hast output) instead of highlight.js's HTML string:
 * the result is a tree we turn into React elements ourselves, so no HTML string ever
 * meets `innerHTML`. Only the languages in highlight-grammars.ts are bundled (registered
 * explicitly, not `lowlight/common`'s 37 or `all`'s 190), and they load on first use:
 * until then a block shows as plain text, then re-renders highlighted. Auto-detection
 * is off: it runs every grammar over the text, which is slow and wrong often enough to
 * mislead.
 */
import type { createLowlight } from 'lowlight';

/** The part of lowlight the highlighter uses. */
export type HighlightEngine = Pick<ReturnType<typeof createLowlight>, 'highlight' | 'registered'>;

/** Highlighted tree as produced by lowlight (a hast root of spans and text). */
export type HighlightTree = ReturnType<HighlightEngine['highlight']>;

/**
 * Above this many UTF-16 code units a block is shown unhighlighted: a grammar run over
 * megabytes would freeze the panel (and some grammars backtrack badly on hostile input).
 */
export const MAX_HIGHLIGHT_CHARS = 100_000;

/** Outcome of {@link createHighlighter}'s `highlight`: a tree or a reason for plain text. */
export type HighlightResult =
  | { readonly kind: 'highlighted'; readonly tree: HighlightTree }
  | {
      readonly kind: 'plain';
      readonly reason: 'loading' | 'unknown-language' | 'too-large' | 'failed';
    };

/** The highlighter port used by the code block (a plain object so tests can spy on it). */
export type Highlighter = {
  /** Highlight `code` as `language` (a fence info word such as `ts` or `python`). */
  readonly highlight: (code: string, language: string) => HighlightResult;
  /** Whether the language (or alias) is bundled (false until the grammars loaded). */
  readonly supports: (language: string) => boolean;
  /** True once the grammars are loaded. */
  readonly isReady: () => boolean;
  /** Loads the grammars (once); resolves when `highlight` can colour. */
  readonly ready: () => Promise<void>;
};

const loadGrammars = (): Promise<HighlightEngine> =>
  import('./highlight-grammars.ts').then((m) => m.lowlight);

/** Create the highlighter; the grammars come from `load` on first use. */
export function createHighlighter(
  load: () => Promise<HighlightEngine> = loadGrammars,
): Highlighter {
  let engine: HighlightEngine | undefined;
  let loading: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    loading ??= load().then(
      (e) => {
        engine = e;
      },
      (error: unknown) => {
        // Plain text stays readable; a later block tries again.
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  const supports = (language: string): boolean =>
    engine !== undefined && language !== '' && engine.registered(language.toLowerCase());
  return {
    supports,
    isReady: () => engine !== undefined,
    ready,
    highlight(code, language) {
      if (!engine) {
        if (language !== '') ready().catch(() => undefined);
        return { kind: 'plain', reason: 'loading' };
      }
      if (!supports(language)) return { kind: 'plain', reason: 'unknown-language' };
      if (code.length > MAX_HIGHLIGHT_CHARS) return { kind: 'plain', reason: 'too-large' };
      try {
        return { kind: 'highlighted', tree: engine.highlight(language.toLowerCase(), code) };
      } catch {
        // A grammar bug must cost the colours, not the message.
        return { kind: 'plain', reason: 'failed' };
      }
    },
  };
}

/** Shared instance used by `<MarkdownView>`. */
export const highlighter: Highlighter = createHighlighter();
