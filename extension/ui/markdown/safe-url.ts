/**
 * URL policy for model output. Model text is untrusted (prompt injection), so every
 * href/src passes through here before React sees it: only absolute http(s) and mailto
 * links survive, images only over http(s), and what the user sees is what the browser
 * would navigate to (the WHATWG-normalised form, punycode host, no credentials).
 */

/** Why a URL was refused. */
export const UrlRejection = {
  /** Not an absolute URL (relative paths would resolve inside the extension). */
  notAbsolute: 'not-absolute',
  /** A scheme outside the allow-list (javascript:, data:, file:, chrome-extension:…). */
  scheme: 'scheme',
  /** Longer than we are willing to show or follow. */
  tooLong: 'too-long',
} as const;
export type UrlRejection = (typeof UrlRejection)[keyof typeof UrlRejection];

/** Where the URL is used: links may be mailto:, images only http(s). */
export type UrlUse = 'link' | 'image';

/** Outcome of {@link checkUrl}: a discriminated result, never `null`. */
export type UrlCheck =
  | {
      readonly ok: true;
      /** Normalised URL to put in the DOM. */
      readonly href: string;
      /** Human-readable form shown beside the link text (no scheme for http(s)). */
      readonly display: string;
      /** Punycode host ('' for mailto). */
      readonly host: string;
    }
  | { readonly ok: false; readonly reason: UrlRejection };

const LINK_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:']);

/** Above this, a URL is refused outright: nobody reads it and it only carries payload. */
export const MAX_URL_LENGTH = 8_192;
/** Display strings are shortened in the middle past this; the full URL stays in `title`. */
export const MAX_DISPLAY_LENGTH = 120;

/**
 * Decide whether `raw` may become an href (`use: 'link'`) or an image src
 * (`use: 'image'`). Relies on the WHATWG URL parser, the same one the browser uses, so
 * obfuscations (`JaVaScRiPt:`, `java\tscript:`, leading control characters) are
 * normalised before the scheme is compared against the allow-list.
 */
export function checkUrl(raw: string, use: UrlUse): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: UrlRejection.tooLong };
  let url: URL;
  try {
    // No base on purpose: a relative URL would otherwise resolve against the extension.
    url = new URL(raw);
  } catch {
    return { ok: false, reason: UrlRejection.notAbsolute };
  }
  const allowed = use === 'image' ? IMAGE_SCHEMES : LINK_SCHEMES;
  if (!allowed.has(url.protocol)) return { ok: false, reason: UrlRejection.scheme };
  if (url.protocol === 'mailto:') {
    // The query matters: `?body=` can pre-fill a message with data to send away.
    const display = shorten(safeDecode(url.pathname) + url.search);
    return { ok: true, href: url.href, display, host: '' };
  }
  // `user:pass@` is the classic "https://trusted.com@evil.com" disguise: drop it.
  url.username = '';
  url.password = '';
  const rest = url.pathname === '/' && !url.search && !url.hash ? '' : url.pathname;
  return {
    ok: true,
    href: url.href,
    display: shorten(url.host + rest + url.search + url.hash),
    host: url.host,
  };
}

/**
 * `urlTransform` for react-markdown: returns the normalised URL when allowed and ''
 * otherwise, so a refused URL never reaches an attribute (the link/image components
 * then render plain text).
 */
export function markdownUrlTransform(url: string, key: string): string {
  const check = checkUrl(url, key === 'src' ? 'image' : 'link');
  return check.ok ? check.href : '';
}

function shorten(text: string): string {
  if (text.length <= MAX_DISPLAY_LENGTH) return text;
  // Keep the start (host) and the end (file name) which are what people check.
  const head = Math.ceil((MAX_DISPLAY_LENGTH - 1) * 0.6);
  const tail = MAX_DISPLAY_LENGTH - 1 - head;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
