/**
 * Safe rendering of model output. Import from here, not from the files inside.
 */
export { MarkdownView, type MarkdownViewProps } from './markdown-view.tsx';
export { checkUrl, UrlRejection, type UrlCheck, type UrlUse } from './safe-url.ts';
export { MAX_HIGHLIGHT_CHARS } from './highlighter.ts';
