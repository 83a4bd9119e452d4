/**
 * Syntax highlighting for code blocks in model output.
 *
 * lowlight (highlight.js grammars, hast output) instead of highlight.js's HTML string:
 * the result is a tree we turn into React elements ourselves, so no HTML string ever
 * meets `innerHTML`. Only the languages below are bundled (registered explicitly,
 * not `lowlight/common`'s 37 or `all`'s 190) to keep the side panel small, and
 * auto-detection is off: it runs every grammar over the text, which is slow and wrong
 * often enough to mislead.
 */
import { createLowlight } from 'lowlight';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import powershell from 'highlight.js/lib/languages/powershell';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const lowlight = createLowlight({
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  dockerfile,
  go,
  ini,
  java,
  javascript,
  json,
  kotlin,
  markdown,
  php,
  plaintext,
  powershell,
  python,
  ruby,
  rust,
  shell,
  sql,
  swift,
  typescript,
  xml,
  yaml,
});

/** Highlighted tree as produced by lowlight (a hast root of spans and text). */
export type HighlightTree = ReturnType<typeof lowlight.highlight>;

/**
 * Above this many UTF-16 code units a block is shown unhighlighted: a grammar run over
 * megabytes would freeze the panel (and some grammars backtrack badly on hostile input).
 */
export const MAX_HIGHLIGHT_CHARS = 100_000;

/** Outcome of {@link createHighlighter}'s `highlight`: a tree or a reason for plain text. */
export type HighlightResult =
  | { readonly kind: 'highlighted'; readonly tree: HighlightTree }
  | { readonly kind: 'plain'; readonly reason: 'unknown-language' | 'too-large' | 'failed' };

/** The highlighter port used by the code block (a plain object so tests can spy on it). */
export type Highlighter = {
  /** Highlight `code` as `language` (a fence info word such as `ts` or `python`). */
  readonly highlight: (code: string, language: string) => HighlightResult;
  /** Whether the language (or alias) is bundled. */
  readonly supports: (language: string) => boolean;
};

/** Create the highlighter over the bundled lowlight instance. */
export function createHighlighter(): Highlighter {
  const supports = (language: string): boolean =>
    language !== '' && lowlight.registered(language.toLowerCase());
  return {
    supports,
    highlight(code, language) {
      if (!supports(language)) return { kind: 'plain', reason: 'unknown-language' };
      if (code.length > MAX_HIGHLIGHT_CHARS) return { kind: 'plain', reason: 'too-large' };
      try {
        return { kind: 'highlighted', tree: lowlight.highlight(language.toLowerCase(), code) };
      } catch {
        // A grammar bug must cost the colours, not the message.
        return { kind: 'plain', reason: 'failed' };
      }
    },
  };
}

/** Shared instance used by `<MarkdownView>`. */
export const highlighter: Highlighter = createHighlighter();
