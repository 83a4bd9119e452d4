/** Whether Nook can read a tab. */
export const TAB_STATUS = { ok: 'ok', restricted: 'restricted', pdf: 'pdf' } as const;

/** One of {@link TAB_STATUS}. */
export type TabStatus = (typeof TAB_STATUS)[keyof typeof TAB_STATUS];

/** Why a tab cannot be read, in plain words for the panel. */
export const TAB_REASONS = {
  'browser-page':
    "This is one of the browser's own pages. Browsers don't let extensions read them; open a normal web page and try again.",
  'extension-page':
    "This page belongs to an extension. Browsers don't let one extension read another's pages.",
  'web-store':
    "Browsers block every extension on their add-on stores and account pages, so Nook can't read this one.",
  'view-source':
    "Extensions can't read view-source tabs. Open the page itself, or paste the source into the chat.",
  'file-needs-permission':
    'This is a file on your computer. To read it, turn on “Allow access to file URLs” for Nook in the browser’s extension settings.',
  pdf: "This tab shows a PDF in the browser's viewer, which extensions can't read. Select the text, copy it and paste it into the chat instead.",
  'not-web': 'Nook can only read normal web pages (http or https). This tab shows something else.',
  'invalid-url': "Nook couldn't tell what this tab is showing, so it won't read it.",
} as const;

/** A key of {@link TAB_REASONS}. */
export type TabReason = keyof typeof TAB_REASONS;

/** The verdict on a tab: readable, or not with a reason to show. */
export type TabVerdict =
  { status: 'ok' } | { status: 'restricted' | 'pdf'; reason: TabReason; message: string };

// Schemes where the browser refuses scripting whatever the permissions.
const BROWSER_SCHEMES = new Set([
  'chrome:',
  'edge:',
  'about:',
  'brave:',
  'opera:',
  'vivaldi:',
  'devtools:',
  'chrome-untrusted:',
  'chrome-search:',
  'chrome-native:',
  'resource:',
  'chrome-error:',
]);
const EXTENSION_SCHEMES = new Set([
  'chrome-extension:',
  'moz-extension:',
  'extension:',
  'safari-web-extension:',
]);

// Hosts where Chrome / Edge / Firefox block content scripts (Firefox's list is its
// `extensions.webextensions.restrictedDomains` default).
const STORE_HOSTS = new Set([
  'chromewebstore.google.com',
  'addons.mozilla.org',
  'accounts-static.cdn.mozilla.net',
  'accounts.firefox.com',
  'addons.cdn.mozilla.net',
  'api.accounts.firefox.com',
  'content.cdn.mozilla.net',
  'discovery.addons.mozilla.org',
  'install.mozilla.org',
  'oauth.accounts.firefox.com',
  'profile.accounts.firefox.com',
  'support.mozilla.org',
  'sync.services.mozilla.com',
]);
const STORE_PREFIXES = [
  'https://chrome.google.com/webstore',
  'https://microsoftedge.microsoft.com/addons',
];

// Built-in PDF viewers: Chrome's component extension and Firefox's pdf.js.
const PDF_VIEWER_PREFIXES = [
  'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/',
  'resource://pdf.js/',
];

const verdict = (status: 'restricted' | 'pdf', reason: TabReason): TabVerdict => ({
  status,
  reason,
  message: TAB_REASONS[reason],
});

/**
 * Explains whether Nook can read a tab with `scripting.executeScript`, before trying:
 * injecting into a restricted tab fails (or never answers), so the panel shows the
 * returned message instead. `fileAccess` is whether the user allowed file URLs.
 */
export function explainTab(url: string, options: { fileAccess?: boolean } = {}): TabVerdict {
  const raw = url.trim();
  if (/^view-source:/i.test(raw)) return verdict('restricted', 'view-source');
  const pdfViewer = PDF_VIEWER_PREFIXES.some((p) => raw.toLowerCase().startsWith(p));
  if (pdfViewer) return verdict('pdf', 'pdf');
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return verdict('restricted', 'invalid-url');
  }
  const scheme = parsed.protocol;
  if (BROWSER_SCHEMES.has(scheme)) return verdict('restricted', 'browser-page');
  if (EXTENSION_SCHEMES.has(scheme)) return verdict('restricted', 'extension-page');
  const isPdf = /\.pdf$/i.test(decodeSafely(parsed.pathname));
  if (scheme === 'file:') {
    if (isPdf) return verdict('pdf', 'pdf');
    return options.fileAccess ? { status: 'ok' } : verdict('restricted', 'file-needs-permission');
  }
  if (scheme !== 'http:' && scheme !== 'https:') return verdict('restricted', 'not-web');
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const href = `${parsed.protocol}//${host}${parsed.pathname}`;
  if (STORE_HOSTS.has(host) || STORE_PREFIXES.some((p) => href.startsWith(p))) {
    return verdict('restricted', 'web-store');
  }
  if (isPdf) return verdict('pdf', 'pdf');
  return { status: 'ok' };
}

/** Just the status of {@link explainTab}: `'ok' | 'restricted' | 'pdf'`. */
export function classifyTab(url: string, options: { fileAccess?: boolean } = {}): TabStatus {
  return explainTab(url, options).status;
}

function decodeSafely(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
