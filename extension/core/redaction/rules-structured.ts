/**
 * Secrets recognised by their surroundings rather than a provider prefix: private-key
 * blocks, JWTs, passwords inside URLs, `password=` / `api_key:` assignments and
 * Authorization headers.
 */
import { Priority, isTemplateValue, regexDetector } from './detector-kit';
import { FindingKind, type Candidate, type Detector } from './types';
import { charClassCount, decodeBase64Url, jwtHeaderValid, shannonEntropy } from './validators';

const PEM_BEGIN = /-----BEGIN[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END[ A-Z0-9]{0,30} PRIVATE KEY(?: BLOCK)?-----/g;
/**
 * A truncated paste (no END line) still leaks the key: hide the lines that follow while
 * they are whole base64 lines or PEM headers (`Proc-Type: …`). Every repetition starts
 * with a newline, so the loop cannot backtrack into itself.
 */
const PEM_BODY =
  /(?:\r?\n(?:[A-Za-z0-9+/=]{1,80}|[A-Za-z-]{1,20}: [^\n]{1,100})(?=\r?\n|$)){0,400}/y;

/**
 * PEM and OpenSSH private keys, done by hand instead of one `BEGIN[\s\S]*?END` regex: that
 * regex rescans to the end of the input for every unmatched BEGIN (quadratic). Here every
 * END position is listed once and each BEGIN takes the next END after it.
 */
export const privateKeyDetector: Detector = {
  id: 'private-key',
  detect(text) {
    const ends = [...text.matchAll(PEM_END)].map((m) => (m.index ?? 0) + m[0].length);
    const out: Candidate[] = [];
    let e = 0;
    let from = 0;
    for (const m of text.matchAll(PEM_BEGIN)) {
      const start = m.index ?? 0;
      if (start < from) continue; // inside the previous block
      while (e < ends.length && (ends[e] ?? 0) <= start) e++;
      let end = ends[e];
      if (end === undefined) {
        PEM_BODY.lastIndex = start + m[0].length;
        PEM_BODY.exec(text);
        end = PEM_BODY.lastIndex;
      }
      from = end;
      out.push({
        start,
        end,
        rule: 'private-key',
        kind: FindingKind.privateKey,
        label: 'Private key',
        priority: Priority.block,
      });
    }
    return out;
  },
};

const DB_SCHEMES = new Set([
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'mongodb',
  'mongodb+srv',
  'redis',
  'rediss',
  'amqp',
  'amqps',
  'mssql',
  'sqlserver',
  'clickhouse',
  'cockroachdb',
  'couchdb',
  'jdbc:mysql',
  'jdbc:postgresql',
  'neo4j',
  'neo4j+s',
  'cassandra',
  'memcached',
  'nats',
  'kafka',
]);

/** Hides only the password of `scheme://user:password@host`, so the model still sees the shape. */
const urlPasswordDetector: Detector = {
  id: 'url-password',
  detect(text) {
    const re =
      /(?<![\w+.-])([a-z][a-z0-9+.:-]{1,24}):\/\/[^\s:/@?#]{0,128}:([^\s/?#]{1,256})@[\w[]/dgi;
    const out: Candidate[] = [];
    for (const m of text.matchAll(re)) {
      const span = m.indices?.[2];
      const password = m[2];
      const scheme = (m[1] ?? '').toLowerCase();
      if (!span || password === undefined || isTemplateValue(password)) continue;
      const db = DB_SCHEMES.has(scheme);
      out.push({
        start: span[0],
        end: span[1],
        rule: db ? 'connection-string-password' : 'url-password',
        kind: FindingKind.password,
        label: db ? 'Password in a database connection string' : 'Password in a URL',
        priority: Priority.specific,
      });
    }
    return out;
  },
};

/** Dotted identifiers, env-var names, kebab/snake words: code, not a secret value. */
function looksLikeCode(v: string): boolean {
  return (
    /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v) ||
    /^[A-Z][A-Z0-9_]*$/.test(v) ||
    /^(?:\/|~\/|\.\.?\/)/.test(v) ||
    /^(?:process|os|env|import|require|config|settings|self|this)\b/.test(v)
  );
}

/** `my-app-secret-v2`, `session_token_v1`: short lower-case words, a name rather than a key. */
function looksLikeWords(v: string): boolean {
  return /^[a-z][a-z0-9]{0,11}(?:[-_.][a-z0-9]{1,11}){0,8}$/.test(v);
}

function passwordValueOk(value: string, quoted: boolean): boolean {
  if (isTemplateValue(value) || value.length < 4) return false;
  if (quoted) return true;
  return (
    value.length >= 6 &&
    charClassCount(value) >= 2 &&
    /[^A-Za-z]/.test(value) &&
    !looksLikeCode(value)
  );
}

function tokenValueOk(value: string): boolean {
  return (
    value.length >= 16 &&
    !isTemplateValue(value) &&
    !looksLikeCode(value) &&
    !looksLikeWords(value) &&
    /\d/.test(value) &&
    /[A-Za-z]/.test(value) &&
    shannonEntropy(value) >= 3.2
  );
}

const ASSIGNMENT =
  /(passwd|password|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|private[_-]?key|credentials?)([\w.-]{0,30})["']?\s{0,5}(?::=|=>|=|:)\s{0,5}(?:"([^"\n\\]{4,256})"|'([^'\n\\]{4,256})'|([^\s'"`,;(){}<>[\]]{4,256}))/dgi;

/** `password = "…"`, `API_KEY=…`, `"client_secret": "…"` in code, .env files and JSON. */
const assignmentDetector: Detector = {
  id: 'assignment',
  detect(text) {
    const out: Candidate[] = [];
    for (const m of text.matchAll(ASSIGNMENT)) {
      const key = (m[1] ?? '').toLowerCase();
      const group = m[3] !== undefined ? 3 : m[4] !== undefined ? 4 : 5;
      const value = m[group] ?? '';
      const span = m.indices?.[group];
      if (!span) continue;
      const isPassword = key.startsWith('pass') || key === 'pwd';
      const quoted = group !== 5;
      // Only a field named exactly `password`/`passphrase` may hold spaces (a passphrase);
      // `password_hint: "at least 8 characters"` is UI text.
      const spaced = /\s/.test(value);
      const ok = isPassword
        ? passwordValueOk(value, quoted) &&
          (!spaced || (m[2] === '' && /^[a-z0-9 .-]+$/.test(value)))
        : !spaced && tokenValueOk(value);
      if (!ok) continue;
      out.push({
        start: span[0],
        end: span[1],
        rule: isPassword ? 'password-assignment' : 'secret-assignment',
        kind: isPassword ? FindingKind.password : FindingKind.secret,
        label: isPassword ? 'Password' : 'API key or secret',
        priority: Priority.generic,
      });
    }
    return out;
  },
};

/** Detectors for secrets recognised by structure or context. */
export const STRUCTURED_DETECTORS: readonly Detector[] = [
  privateKeyDetector,
  regexDetector({
    id: 'jwt',
    kind: FindingKind.jwt,
    label: 'JSON Web Token',
    priority: Priority.specific,
    pattern: /(?<![\w-])eyJ[\w-]{8,4000}\.[\w-]{2,16000}\.[\w-]{0,4000}(?![\w-])/dg,
    validate: jwtHeaderValid,
  }),
  urlPasswordDetector,
  assignmentDetector,
  regexDetector({
    id: 'bearer-token',
    kind: FindingKind.secret,
    label: 'Bearer token',
    priority: Priority.generic,
    pattern: /\bbearer\s{1,5}([\w~+/.-]{16,4096}={0,2})(?![\w~+/=-])/dgi,
    group: 1,
    validate: (v) => !isTemplateValue(v) && /\d/.test(v) && shannonEntropy(v) >= 3.2,
  }),
  regexDetector({
    id: 'basic-auth-header',
    kind: FindingKind.password,
    label: 'Basic auth credentials',
    priority: Priority.checksummed,
    pattern: /\bBasic\s{1,5}([A-Za-z0-9+/]{8,1000}={0,2})(?![\w+/=])/dg,
    group: 1,
    validate: (v) => {
      try {
        return /^[^:\s]{1,256}:\S{1,256}$/.test(decodeBase64Url(v));
      } catch {
        return false;
      }
    },
  }),
];
