/** What a finding is, in the groups the user and the ledger see. Values are stable ids. */
export const FindingKind = {
  secret: 'secret',
  privateKey: 'private-key',
  jwt: 'jwt',
  password: 'password',
  card: 'card',
  iban: 'iban',
  nationalId: 'national-id',
  email: 'email',
  phone: 'phone',
} as const;
export type FindingKind = (typeof FindingKind)[keyof typeof FindingKind];

/** The word inside a placeholder, per kind: `[SECRET_1]`, `[CARD_2]`. Upper case and `_` only. */
export const PLACEHOLDER_TAG = {
  secret: 'SECRET',
  'private-key': 'PRIVATE_KEY',
  jwt: 'JWT',
  password: 'PASSWORD',
  card: 'CARD',
  iban: 'IBAN',
  'national-id': 'NATIONAL_ID',
  email: 'EMAIL',
  phone: 'PHONE',
} as const satisfies Record<FindingKind, string>;

/** One span of the input that will be replaced before the text leaves the browser. */
export interface Finding {
  /** Stable within one scan result; used by the preview to undo a single finding. */
  readonly id: string;
  readonly kind: FindingKind;
  /** Plain words for the preview, e.g. "OpenAI API key". Never contains the secret. */
  readonly label: string;
  /** Which detector matched (e.g. `openai-key`), for tests and diagnostics. */
  readonly rule: string;
  /** UTF-16 offsets into the scanned text; `end` is exclusive. */
  readonly start: number;
  readonly end: number;
  /** What the provider will see instead, e.g. `[SECRET_1]`. */
  readonly placeholder: string;
}

/** One placeholder and the text it stands for. */
export interface RedactionEntry {
  readonly placeholder: string;
  readonly kind: FindingKind;
  readonly original: string;
}

/**
 * Placeholder → original, kept only in the browser (inside the encrypted conversation).
 * Plain JSON so it can be stored with the conversation and extended turn by turn.
 */
export interface RedactionMap {
  readonly version: 1;
  readonly entries: readonly RedactionEntry[];
  /** Placeholder-shaped strings the user typed themselves; never reused, never restored. */
  readonly reserved: readonly string[];
}

/** Ledger line: how many of each kind were redacted. Never the values. */
export interface RedactionSummaryItem {
  readonly kind: FindingKind;
  readonly count: number;
}

/** Raw detector output before overlaps are resolved and placeholders assigned. */
export interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly rule: string;
  readonly kind: FindingKind;
  readonly label: string;
  /** Higher wins an overlap; ties go to the longer span. Provider-specific rules rank highest. */
  readonly priority: number;
}

/** A detector: a pure function from text to candidates. Must run in linear time. */
export interface Detector {
  readonly id: string;
  /** Detectors the user must opt into (e-mail, phone) say so here. */
  readonly optIn?: 'email' | 'phone';
  detect(text: string): Candidate[];
}

export const REDACTION_ERROR_CODE = ['stale-findings', 'bad-map'] as const;
export type RedactionErrorCode = (typeof REDACTION_ERROR_CODE)[number];

const REDACTION_TEXT: Record<RedactionErrorCode, string> = {
  'stale-findings':
    'The text changed after it was checked for secrets. Check it again before sending.',
  'bad-map':
    'The redaction record of this conversation is damaged, so placeholders cannot be restored.',
};

/** A coded redaction error. Its message never includes the text or a secret. */
export class RedactionError extends Error {
  readonly code: RedactionErrorCode;
  constructor(code: RedactionErrorCode, options?: { cause?: unknown }) {
    super(REDACTION_TEXT[code], options);
    this.name = 'RedactionError';
    this.code = code;
  }
}
