/**
 * Page context: read a tab's visible text in the page and quote it as untrusted data.
 * `extractPageContent` is injected as-is; the rest runs in the extension.
 */
export { extractPageContent, PAGE_KINDS } from './extract';
export type { ExtractOptions, PageExtract, PageKind } from './types';
export {
  UNTRUSTED_BEGIN,
  UNTRUSTED_END,
  UNTRUSTED_SOURCES,
  UNTRUSTED_SYSTEM_INSTRUCTION,
  UntrustedWrapError,
  wrapUntrusted,
} from './untrusted';
export type { UntrustedInput, UntrustedSource, WrapOptions } from './untrusted';
export { classifyTab, explainTab, TAB_REASONS, TAB_STATUS } from './classify-tab';
export type { TabReason, TabStatus, TabVerdict } from './classify-tab';
