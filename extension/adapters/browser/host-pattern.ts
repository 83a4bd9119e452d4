/**
 * Host-permission match patterns for a custom provider origin, per browser.
 *
 * Chrome's match patterns may carry a port (`http://127.0.0.1:11434/*`), so Nook asks for
 * exactly the server's origin there. Firefox's do not: a pattern with a port is accepted
 * by `permissions.request` but never matches a request, so fetches stay subject to CORS
 * (and `permissions.contains` never counts a grant of the host). In Firefox Nook asks for
 * the host on every port (`http://127.0.0.1/*`); the Origin rule stays per origin.
 */

/** The slice of the platform that tells the browsers apart (`getBrowserInfo` is Firefox's). */
export interface BrowserIdentity {
  runtime?: { getBrowserInfo?: unknown };
}

/** True where host match patterns may name a port (Chrome), false in Firefox. */
export function patternsSupportPorts(platform: BrowserIdentity): boolean {
  return typeof platform.runtime?.getBrowserInfo !== 'function';
}

/** The pattern to request for `origin` (an `http(s)://host[:port]` origin). */
export function hostPermissionPattern(origin: string, withPort: boolean): string {
  const url = new URL(origin);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError('A provider origin must be http or https.');
  }
  return withPort ? `${url.origin}/*` : `${url.protocol}//${url.hostname}/*`;
}
