import type { Candidate, Detector, FindingKind } from './types';

/** Declarative description of a regex detector. */
export interface RegexRuleSpec {
  readonly id: string;
  readonly kind: FindingKind;
  readonly label: string;
  readonly priority: number;
  /**
   * Must carry the `g` and `d` flags (`d` gives capture offsets). Write it without nested
   * or overlapping quantifiers and bound every repetition, so a scan stays linear.
   */
  readonly pattern: RegExp;
  /** Capture group holding the part to hide (a connection string hides only its password). */
  readonly group?: number;
  /** Checksum or shape test on the captured value; false drops the match. */
  readonly validate?: (value: string, match: RegExpExecArray) => boolean;
  readonly optIn?: 'email' | 'phone';
}

/** Builds a detector from a regex rule. `matchAll` clones the regex, so scans never share state. */
export function regexDetector(spec: RegexRuleSpec): Detector {
  if (!spec.pattern.global || !spec.pattern.hasIndices) {
    throw new TypeError(`rule ${spec.id}: pattern needs the g and d flags`);
  }
  const group = spec.group ?? 0;
  return {
    id: spec.id,
    ...(spec.optIn ? { optIn: spec.optIn } : {}),
    detect(text) {
      const out: Candidate[] = [];
      for (const m of text.matchAll(spec.pattern)) {
        const span = m.indices?.[group];
        const value = m[group];
        if (span === undefined || value === undefined || value.length === 0) continue;
        if (spec.validate && !spec.validate(value, m as RegExpExecArray)) continue;
        out.push({
          start: span[0],
          end: span[1],
          rule: spec.id,
          kind: spec.kind,
          label: spec.label,
          priority: spec.priority,
        });
      }
      return out;
    },
  };
}

/** Rule priorities: who wins when two detectors claim overlapping text. */
export const Priority = {
  /** Keyword or entropy guesses (`password=`, `Bearer`, e-mail, phone). */
  generic: 1,
  /** Checksummed personal data (cards, IBANs, national ids). */
  checksummed: 2,
  /** Provider tokens with a fixed prefix, JWTs, URL passwords. */
  specific: 3,
  /** Whole private-key blocks: they swallow anything found inside them. */
  block: 4,
} as const;

/** `[SECRET_1]`-shaped text: never treated as a secret, so redacting twice changes nothing. */
export const PLACEHOLDER_SHAPE = /^\[[A-Z][A-Z_]{0,30}_\d{1,6}\]$/;

/** Values that are obviously templates or examples rather than the secret itself. */
export function isTemplateValue(value: string): boolean {
  return (
    PLACEHOLDER_SHAPE.test(value) ||
    /^(?:\$\{|\$\(|\{\{|\{|<|%\(|%s|\$[A-Za-z_])/.test(value) ||
    /^[*xX•.]+$/.test(value) ||
    /^(?:null|none|undefined|true|false|changeme|redacted|hidden|example|password|secret)$/i.test(
      value,
    )
  );
}
