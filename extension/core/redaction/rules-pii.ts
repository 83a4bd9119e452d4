/**
 * Personal data: card numbers, IBANs and national id numbers (always on, each checked by
 * its checksum or validity rules), e-mail and phone (only when the user turns them on).
 * The number-shaped ones are parsed by hand from a cheap candidate run, which is both
 * linear and easier to make strict than one clever regex.
 */
import { Priority, regexDetector } from './detector-kit';
import { FindingKind, type Candidate, type Detector } from './types';
import {
  IBAN_LENGTH,
  bsnValid,
  cardIssuerValid,
  ibanValid,
  luhnValid,
  ninoPrefixValid,
  spanishIdValid,
  ssnValid,
} from './validators';

function candidate(
  start: number,
  end: number,
  rule: string,
  kind: FindingKind,
  label: string,
  priority: number,
): Candidate {
  return { start, end, rule, kind, label, priority };
}

/** Runs of digits with single spaces or dashes; a card is looked for inside each run. */
const DIGIT_RUN = /(?<![\w.,+/-])\d[\d -]{11,80}\d(?![\w/-])/g;

/**
 * Card numbers: 13–19 digits, one separator style, plausible groups, Luhn and a known
 * issuer prefix. A run holding two cards ("4111 … 1111 5555 … 4444") yields both.
 */
export const cardDetector: Detector = {
  id: 'card-number',
  detect(text) {
    const out: Candidate[] = [];
    for (const m of text.matchAll(DIGIT_RUN)) {
      const base = m.index ?? 0;
      const groups = [...m[0].matchAll(/\d+|[ -]+/g)].map((g) => ({
        at: base + (g.index ?? 0),
        s: g[0],
      }));
      let i = 0;
      while (i < groups.length) {
        const found = longestCardFrom(groups, i);
        if (found === undefined) {
          i += 2;
          continue;
        }
        const first = groups[i];
        const last = groups[found];
        if (first && last) {
          out.push(
            candidate(
              first.at,
              last.at + last.s.length,
              'card-number',
              FindingKind.card,
              'Card number',
              Priority.checksummed,
            ),
          );
        }
        i = found + 2;
      }
    }
    return out;
  },
};

/** Index of the last digit group of the longest valid card starting at group `i`. */
function longestCardFrom(groups: readonly { s: string }[], i: number): number | undefined {
  let digits = '';
  let sep: string | undefined;
  let best: number | undefined;
  for (let j = i; j < groups.length; j += 2) {
    const g = groups[j]?.s ?? '';
    if (j > i) {
      const s = groups[j - 1]?.s ?? '';
      if (s.length !== 1 || (sep !== undefined && s !== sep)) break;
      sep = s;
      if (g.length < 3 || g.length > 6) break;
    }
    digits += g;
    if (digits.length > 19) break;
    const multi = j > i;
    if (multi && (groups[i]?.s.length ?? 0) !== 4) break;
    if (digits.length >= 13 && luhnValid(digits) && cardIssuerValid(digits)) best = j;
  }
  return best;
}

function isUpperAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}

const IBAN_START = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?= ?[A-Z0-9])/g;

/** IBANs: known country, exact length for that country, mod-97 == 1; spaces every 4 allowed. */
export const ibanDetector: Detector = {
  id: 'iban',
  detect(text) {
    const out: Candidate[] = [];
    for (const m of text.matchAll(IBAN_START)) {
      const start = m.index ?? 0;
      const want = IBAN_LENGTH.get(m[0].slice(0, 2));
      if (want === undefined) continue;
      let compact = m[0];
      let k = start + 4;
      while (compact.length < want && k < text.length) {
        if (isUpperAlnum(text.charCodeAt(k))) compact += text[k];
        else if (!(text[k] === ' ' && isUpperAlnum(text.charCodeAt(k + 1)))) break;
        k++;
      }
      if (compact.length !== want || /[A-Za-z0-9]/.test(text[k] ?? '')) continue;
      if (!ibanValid(compact)) continue;
      out.push(candidate(start, k, 'iban', FindingKind.iban, 'IBAN', Priority.checksummed));
    }
    return out;
  },
};

const nationalId = FindingKind.nationalId;

/** National id numbers with their validity rules. */
export const NATIONAL_ID_DETECTORS: readonly Detector[] = [
  regexDetector({
    id: 'us-ssn',
    kind: nationalId,
    label: 'US Social Security number',
    priority: Priority.checksummed,
    pattern: /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-])/dg,
    validate: (_v, m) => ssnValid(m[1] ?? '', m[3] ?? '', m[4] ?? ''),
  }),
  regexDetector({
    // Nine bare digits are only an SSN when the text says so.
    id: 'us-ssn',
    kind: nationalId,
    label: 'US Social Security number',
    priority: Priority.checksummed,
    pattern: /\b(?:SSN|social security(?: number| no\.?)?)[\s:#]{0,4}(\d{9})(?!\d)/dgi,
    group: 1,
    validate: (v) => ssnValid(v.slice(0, 3), v.slice(3, 5), v.slice(5)),
  }),
  regexDetector({
    id: 'uk-nino',
    kind: nationalId,
    label: 'UK National Insurance number',
    priority: Priority.checksummed,
    pattern: /(?<![A-Za-z0-9])([A-Z]{2}) ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])/dg,
    validate: (_v, m) => ninoPrefixValid(m[1] ?? ''),
  }),
  regexDetector({
    // The 11-proof passes one random 9-digit number in 11, so a BSN needs its name nearby.
    id: 'nl-bsn',
    kind: nationalId,
    label: 'Dutch citizen service number (BSN)',
    priority: Priority.checksummed,
    pattern:
      /\b(?:BSN|burgerservicenummer|sofinummer|citizen service number)\b[^\d\n]{0,20}(\d{4}\.?\d{2}\.?\d{3})(?![\d.])/dgi,
    group: 1,
    validate: (v) => bsnValid(v.replace(/\./g, '')),
  }),
  regexDetector({
    id: 'es-dni',
    kind: nationalId,
    label: 'Spanish ID number (DNI/NIE)',
    priority: Priority.checksummed,
    pattern: /(?<![A-Za-z0-9-])[XYZ]?\d{7,8}[ -]?[A-Z](?![A-Za-z0-9])/dg,
    validate: (v) => spanishIdValid(v.replace(/[ -]/g, '')),
  }),
];

const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;
/** `icon@2x.png` is a file name, not an address. */
const FILE_TLD =
  /^(?:png|jpe?g|gif|svg|webp|avif|ico|js|mjs|cjs|ts|tsx|jsx|css|scss|json|md|txt|html?)$/i;

/** E-mail addresses, found from each `@` outwards (bounded walks, so linear). */
export const emailDetector: Detector = {
  id: 'email',
  optIn: 'email',
  detect(text) {
    const out: Candidate[] = [];
    for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
      let s = at;
      while (s > 0 && at - s < 64 && LOCAL_CHAR.test(text[s - 1] ?? '')) s--;
      while (s < at && text[s] === '.') s++;
      let e = at + 1;
      while (e < text.length && e - at <= 253 && DOMAIN_CHAR.test(text[e] ?? '')) e++;
      while (e > at + 1 && /[.-]/.test(text[e - 1] ?? '')) e--;
      // `scheme://user@host` is URL user info, not an address.
      if (s === at || text.slice(Math.max(0, s - 3), s) === '://') continue;
      const labels = text.slice(at + 1, e).split('.');
      const tld = labels[labels.length - 1] ?? '';
      if (labels.length < 2 || labels.some((l) => l.length === 0 || l.length > 63)) continue;
      if (!/^[A-Za-z]{2,24}$/.test(tld) || FILE_TLD.test(tld)) continue;
      out.push(candidate(s, e, 'email', FindingKind.email, 'E-mail address', Priority.generic));
    }
    return out;
  },
};

function phoneDigitsOk(v: string, min: number, max: number): boolean {
  const n = v.replace(/\D/g, '').length;
  return n >= min && n <= max && !/[ ().-]{2}/.test(v.replace(/\) /g, ')'));
}

const phone = { kind: FindingKind.phone, label: 'Phone number', priority: Priority.generic };

/** Phone numbers: E.164 / international, North American, and trunk-0 national formats. */
export const PHONE_DETECTORS: readonly Detector[] = [
  regexDetector({
    ...phone,
    id: 'phone-international',
    optIn: 'phone',
    // `+` only: a `00` prefix is indistinguishable from digit groups inside IBANs and ids.
    pattern: /(?<![\w+])\+[1-9][\d ().-]{6,20}\d(?![\w-])/dg,
    validate: (v) => phoneDigitsOk(v, 8, 15),
  }),
  regexDetector({
    ...phone,
    id: 'phone-nanp',
    optIn: 'phone',
    pattern:
      /(?<![\w+-]|\d[ -])(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[-. ])[2-9]\d{2}[-. ]\d{4}(?![\w-]|[ -]\d)/dg,
  }),
  regexDetector({
    ...phone,
    id: 'phone-national',
    optIn: 'phone',
    pattern:
      /(?<![\w+.-]|\d[ -])(?:0\d{1,4}[ -]\d{3,4}[ -]?\d{3,4}|0[1-9][ .]\d{2}[ .]\d{2}[ .]\d{2}[ .]\d{2})(?![\w.-]|[ -]\d)/dg,
    validate: (v) => phoneDigitsOk(v, 9, 12),
  }),
];

/** All personal-data detectors; e-mail and phone carry `optIn` and are filtered by the redactor. */
export const PII_DETECTORS: readonly Detector[] = [
  cardDetector,
  ibanDetector,
  ...NATIONAL_ID_DETECTORS,
  emailDetector,
  ...PHONE_DETECTORS,
];
