/**
 * An offline check of a Chrome Web Store package (the zip `wxt zip -b chrome` writes).
 * Google publishes no installable linter, so this checks the rules the store and Chrome
 * enforce on upload or load that a build can get wrong:
 *
 * - `manifest.json` at the root, Manifest V3, a name of at most 75 characters, a
 *   description of at most 132, a version of one to four dot-separated integers
 *   0–65535 without leading zeros;
 * - no `key` or `update_url` (the store assigns both and refuses uploads carrying them);
 * - a 128×128 PNG icon (the store requires it), and every icon a PNG of its stated size;
 * - every file the manifest names exists in the zip (background worker, side panel,
 *   options page, action icons, content scripts);
 * - no file or folder at the root named with a leading `_` except `_locales` (Chrome
 *   refuses to load those);
 * - no remotely hosted code: the extension-pages CSP allows only `'self'`,
 *   `'wasm-unsafe-eval'` and `'none'` for scripts, and no HTML page loads a script from
 *   another origin;
 * - every permission is one Chrome knows (a Firefox-only name would fail the upload).
 */

/** Permissions Chrome accepts in an MV3 manifest (those Nook might plausibly use). */
export const CHROME_PERMISSIONS = new Set([
  'activeTab',
  'alarms',
  'background',
  'bookmarks',
  'clipboardRead',
  'clipboardWrite',
  'contextMenus',
  'cookies',
  'declarativeNetRequest',
  'declarativeNetRequestFeedback',
  'declarativeNetRequestWithHostAccess',
  'downloads',
  'favicon',
  'history',
  'identity',
  'idle',
  'notifications',
  'offscreen',
  'scripting',
  'search',
  'sessions',
  'sidePanel',
  'storage',
  'tabGroups',
  'tabs',
  'unlimitedStorage',
  'webNavigation',
  'webRequest',
]);

const VERSION = /^(0|[1-9]\d{0,4})(\.(0|[1-9]\d{0,4})){0,3}$/;
const SCRIPT_SOURCES = new Set(["'self'", "'wasm-unsafe-eval'", "'none'"]);

interface ChromeManifest {
  manifest_version?: unknown;
  name?: unknown;
  description?: unknown;
  version?: unknown;
  key?: unknown;
  update_url?: unknown;
  icons?: Record<string, string>;
  action?: { default_icon?: string | Record<string, string> };
  background?: { service_worker?: string };
  side_panel?: { default_path?: string };
  options_ui?: { page?: string };
  options_page?: string;
  content_scripts?: { js?: string[]; css?: string[] }[];
  content_security_policy?: { extension_pages?: string };
  permissions?: unknown[];
}

/** Width and height of a PNG, or undefined when `bytes` is not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (bytes.length < 24 || sig.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Problems found in the package, one plain sentence each; empty when it is store-ready. */
export function checkChromePackage(files: ReadonlyMap<string, Uint8Array>): string[] {
  const problems: string[] = [];
  const raw = files.get('manifest.json');
  if (!raw) return ['manifest.json is missing from the root of the package.'];
  let m: ChromeManifest;
  try {
    m = JSON.parse(new TextDecoder().decode(raw)) as ChromeManifest;
  } catch {
    return ['manifest.json is not valid JSON.'];
  }
  if (m.manifest_version !== 3) problems.push('manifest_version must be 3.');
  if (typeof m.name !== 'string' || m.name.length === 0 || m.name.length > 75) {
    problems.push('name must be 1–75 characters.');
  }
  if (typeof m.description !== 'string' || m.description.length > 132) {
    problems.push('description must be at most 132 characters.');
  }
  if (typeof m.version !== 'string' || !VERSION.test(m.version)) {
    problems.push('version must be one to four dot-separated integers (0–65535).');
  } else if (m.version.split('.').some((n) => Number(n) > 65535)) {
    problems.push('version parts must be at most 65535.');
  }
  if (m.key !== undefined) problems.push('manifest carries a "key"; the store refuses it.');
  if (m.update_url !== undefined) problems.push('manifest carries an "update_url".');

  const needFile = (file: string | undefined, what: string) => {
    if (file !== undefined && !files.has(file.replace(/^\//, ''))) {
      problems.push(`${what} ${file} is not in the package.`);
    }
  };
  const icons = m.icons ?? {};
  if (!icons['128']) problems.push('a 128×128 icon (icons["128"]) is required.');
  for (const [size, file] of Object.entries(icons)) {
    const bytes = files.get(file);
    if (!bytes) {
      problems.push(`icon ${file} is not in the package.`);
      continue;
    }
    const dim = pngSize(bytes);
    if (!dim) problems.push(`icon ${file} is not a PNG.`);
    else if (dim.width !== Number(size) || dim.height !== Number(size)) {
      problems.push(`icon ${file} is ${dim.width}×${dim.height}, not ${size}×${size}.`);
    }
  }
  const actionIcon = m.action?.default_icon;
  for (const f of typeof actionIcon === 'string' ? [actionIcon] : Object.values(actionIcon ?? {})) {
    needFile(f, 'action icon');
  }
  needFile(m.background?.service_worker, 'background service worker');
  needFile(m.side_panel?.default_path, 'side panel page');
  needFile(m.options_ui?.page ?? m.options_page, 'options page');
  for (const cs of m.content_scripts ?? []) {
    for (const f of [...(cs.js ?? []), ...(cs.css ?? [])]) needFile(f, 'content script');
  }

  // Chrome checks the names at the package root only (chunks/_x.js loads fine).
  const roots = new Set([...files.keys()].map((name) => name.split('/')[0] ?? name));
  for (const name of roots) {
    if (name.startsWith('_') && name !== '_locales') {
      problems.push(`${name}: names starting with "_" at the root are reserved by Chrome.`);
    }
  }

  const csp = m.content_security_policy?.extension_pages;
  if (csp !== undefined) {
    const scriptSrc = csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .find(([d]) => d === 'script-src');
    for (const source of scriptSrc?.slice(1) ?? []) {
      if (!SCRIPT_SOURCES.has(source)) {
        problems.push(`CSP script-src allows ${source}; MV3 forbids remotely hosted code.`);
      }
    }
  }
  for (const [name, bytes] of files) {
    if (!name.endsWith('.html')) continue;
    const html = new TextDecoder().decode(bytes);
    for (const match of html.matchAll(/<script[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)/gi)) {
      if (/^(https?:)?\/\//i.test(match[1] ?? '')) {
        problems.push(`${name} loads a remote script (${match[1]}).`);
      }
    }
  }

  for (const p of m.permissions ?? []) {
    if (typeof p !== 'string' || !CHROME_PERMISSIONS.has(p)) {
      problems.push(`permission ${String(p)} is not a Chrome permission.`);
    }
  }
  return problems;
}
