import type { HostAccess } from '../../core/chat/host-access';
import { checkRelayUrl } from '../../core/sync-bridge/relay-url';

/**
 * Checks the relay address and asks for its host permission. Call it synchronously in the
 * click (the permission prompt needs the user gesture): nothing is awaited before `request`.
 */
export function requestRelayAccess(
  raw: string,
  hostAccess: HostAccess,
): { ok: true; url: string; granted: Promise<boolean> } | { ok: false; message: string } {
  const checked = checkRelayUrl(raw);
  if (!checked.ok) return checked;
  return { ok: true, url: checked.url, granted: hostAccess.request(checked.origin) };
}

/** What to say when the permission was refused. */
export const PERMISSION_REFUSED =
  'Nook needs your permission to reach the relay. Press the button again and choose Allow.';
