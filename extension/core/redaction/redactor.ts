import { PII_DETECTORS } from './rules-pii';
import { PROVIDER_DETECTORS } from './rules-secrets';
import { STRUCTURED_DETECTORS } from './rules-structured';
import {
  PLACEHOLDER_PATTERN,
  assignPlaceholders,
  detectAll,
  emptyRedactionMap,
  knownValueCandidates,
} from './scanner';
import {
  FindingKind,
  RedactionError,
  type Detector,
  type Finding,
  type RedactionEntry,
  type RedactionMap,
  type RedactionSummaryItem,
} from './types';

/** What the user chose in Options → Privacy. Secrets, cards, IBANs and ids are always on. */
export interface RedactorOptions {
  readonly email: boolean;
  readonly phone: boolean;
}

/** Placeholder numbering continues from `map`, so one conversation never reuses a number. */
export interface ScanOptions {
  readonly map?: RedactionMap;
}

export interface RedactOptions extends ScanOptions {
  /** Finding ids the user chose to send as they are ("undo" in the preview). */
  readonly skip?: ReadonlySet<string>;
}

export interface RedactResult {
  /** What goes to the provider. */
  readonly text: string;
  /** The conversation's map, extended with this message's placeholders. Stays local. */
  readonly map: RedactionMap;
  /** For the data-flow ledger: counts per kind, never values. */
  readonly summary: RedactionSummaryItem[];
}

export interface Redactor {
  /** Finds secrets and personal data; non-overlapping, in text order, placeholders assigned. */
  scan(text: string, opts?: ScanOptions): Finding[];
  /**
   * Replaces every finding not in `skip` by its placeholder. `findings` must be this text's
   * scan (same options, same map): the text is scanned again and a mismatch throws
   * `RedactionError('stale-findings')`, so an edit made after the preview can never send
   * a secret the preview did not show.
   */
  redact(text: string, findings: readonly Finding[], opts?: RedactOptions): RedactResult;
}

/** Counts per kind, in a stable order, for the ledger and the preview header. */
export function summarize(findings: readonly Finding[]): RedactionSummaryItem[] {
  const counts = new Map<FindingKind, number>();
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return Object.values(FindingKind)
    .filter((k) => counts.has(k))
    .map((kind) => ({ kind, count: counts.get(kind) ?? 0 }));
}

function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  return (
    a.length === b.length &&
    a.every((f, i) => {
      const g = b[i];
      return (
        g !== undefined &&
        f.id === g.id &&
        f.start === g.start &&
        f.end === g.end &&
        f.kind === g.kind &&
        f.placeholder === g.placeholder
      );
    })
  );
}

/** Creates a redactor. Pure and synchronous: runs the same in the side panel and in Node. */
export function createRedactor(opts: RedactorOptions): Redactor {
  const detectors: Detector[] = [
    ...PROVIDER_DETECTORS,
    ...STRUCTURED_DETECTORS,
    ...PII_DETECTORS,
  ].filter((d) => d.optIn === undefined || (d.optIn === 'email' ? opts.email : opts.phone));

  const scan = (text: string, scanOpts?: ScanOptions): Finding[] => {
    const map = scanOpts?.map ?? emptyRedactionMap();
    return assignPlaceholders(
      text,
      detectAll(text, detectors, knownValueCandidates(text, map)),
      map,
    );
  };

  return {
    scan,
    redact(text, findings, redactOpts) {
      const prior = redactOpts?.map ?? emptyRedactionMap();
      if (!sameFindings(findings, scan(text, { map: prior }))) {
        throw new RedactionError('stale-findings');
      }
      const skip = redactOpts?.skip ?? new Set<string>();
      const applied = findings.filter((f) => !skip.has(f.id));
      const parts: string[] = [];
      const entries = new Map<string, RedactionEntry>(prior.entries.map((e) => [e.placeholder, e]));
      let at = 0;
      for (const f of applied) {
        parts.push(text.slice(at, f.start), f.placeholder);
        if (!entries.has(f.placeholder)) {
          entries.set(f.placeholder, {
            placeholder: f.placeholder,
            kind: f.kind,
            original: text.slice(f.start, f.end),
          });
        }
        at = f.end;
      }
      parts.push(text.slice(at));
      const reserved = new Set(prior.reserved);
      for (const m of text.matchAll(PLACEHOLDER_PATTERN)) {
        if (!entries.has(m[0])) reserved.add(m[0]);
      }
      return {
        text: parts.join(''),
        map: { version: 1, entries: [...entries.values()], reserved: [...reserved] },
        summary: summarize(applied),
      };
    },
  };
}
