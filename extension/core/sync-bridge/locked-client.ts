/**
 * Serialises every authenticated relay call across extension pages. The relay rotates
 * refresh tokens and revokes the whole session when one is presented twice, so two pages
 * must never refresh at the same time: each call takes one Web Lock, and the client reads
 * the (possibly just rotated) session from storage.session inside it.
 */
import type { RelayClientPort } from './ports';

/** The lock around authenticated relay calls. */
export const RELAY_SESSION_LOCK = 'nook-relay-session';

type WithLock = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** Wraps `client` so each authenticated call holds {@link RELAY_SESSION_LOCK}. */
export function lockedRelayClient(client: RelayClientPort, withLock: WithLock): RelayClientPort {
  const locked =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A) =>
      withLock(RELAY_SESSION_LOCK, () => fn(...args));
  const t = client.transport;
  return {
    wsUrl: client.wsUrl,
    transport: {
      push: locked((b) => t.push(b)),
      pull: locked((since, limit) => t.pull(since, limit)),
      getManifest: locked(() => t.getManifest()),
      putManifest: locked((b) => t.putManifest(b)),
    },
    createAccount: (b) => client.createAccount(b),
    prelogin: (id, pinned) => client.prelogin(id, pinned),
    preloginFresh: (id) => client.preloginFresh(id),
    login: locked((b, pinned) => client.login(b, pinned)),
    logout: locked(() => client.logout()),
    devices: locked(() => client.devices()),
    revokeDevice: locked((id) => client.revokeDevice(id)),
    deleteAccount: locked((k) => client.deleteAccount(k)),
    accessToken: locked(() => client.accessToken()),
    hasSession: () => client.hasSession(),
  };
}
