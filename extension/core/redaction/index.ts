/**
 * Redaction of secrets and personal data before text leaves the browser. Pure TypeScript:
 * no browser, storage or SDK imports. See README.md for the rule set and its limits.
 */
export {
  createRedactor,
  summarize,
  type RedactOptions,
  type RedactResult,
  type Redactor,
  type RedactorOptions,
  type ScanOptions,
} from './redactor';
export { createStreamRestorer, restore, type StreamRestorer } from './restore';
export { emptyRedactionMap } from './scanner';
export {
  FindingKind,
  PLACEHOLDER_TAG,
  RedactionError,
  type Finding,
  type RedactionEntry,
  type RedactionErrorCode,
  type RedactionMap,
  type RedactionSummaryItem,
} from './types';
