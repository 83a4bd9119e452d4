/** What kind of document the extractor found in the tab. */
export const PAGE_KINDS = {
  /** An HTML (or plain-text) document whose visible text was read. */
  html: 'html',
  /** The browser's built-in PDF viewer: its text is not in the DOM. */
  pdfViewer: 'pdf-viewer',
  /** An image, SVG, XML or other document without readable body text. */
  unsupported: 'unsupported',
} as const;

/** One of {@link PAGE_KINDS}. */
export type PageKind = (typeof PAGE_KINDS)[keyof typeof PAGE_KINDS];

/** Options for `extractPageContent`; passed through `scripting.executeScript({ args })`. */
export interface ExtractOptions {
  /** Upper bound on `text` (and on `selection`) in UTF-16 code units. */
  maxChars: number;
  /** Read only the user's selection: `text` is then the filtered selection. */
  selectionOnly?: boolean;
}

/**
 * The visible text of a page, read inside the page. Everything in it is UNTRUSTED page
 * data (the title too): send it to a model only through `wrapUntrusted()`.
 */
export interface PageExtract {
  /** `document.title`, whitespace-collapsed. */
  title: string;
  /** `location.href` without any `user:password@` part. */
  url: string;
  /** `<html lang>`, when the page declares one. */
  lang?: string;
  /** Visible text (or, with `selectionOnly`, the visible part of the selection). */
  text: string;
  /** The visible part of the user's selection, when there is a non-empty one. */
  selection?: string;
  /** True when `text` was cut at `maxChars`. */
  truncated: boolean;
  /**
   * Length of the full visible text when it was measured (`truncated` false: equals
   * `text.length`). When truncated, the walk stops at the cap and this is an estimate
   * from the raw body text (an upper bound, never below `text.length + 1`).
   */
  totalChars: number;
  /** What kind of document this was; only `'html'` carries text. */
  kind: PageKind;
}
