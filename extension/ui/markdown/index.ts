/**
 * Safe rendering of model output. Import from here, not from the files inside.
 * `MarkdownView` loads the renderer on first use (lazy-markdown-view.tsx).
 */
export { MarkdownView, preloadMarkdown } from './lazy-markdown-view.tsx';
export type { MarkdownViewProps } from './markdown-view.tsx';
export { checkUrl, UrlRejection, type UrlCheck, type UrlUse } from './safe-url.ts';
export { MAX_HIGHLIGHT_CHARS } from './highlighter.ts';
