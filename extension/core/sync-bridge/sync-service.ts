/**
 * The sync actions of Options → Sync and of the first-run "Link to an existing Nook":
 * create a relay account for this vault, link a fresh browser to an existing one, reconnect,
 * devices, disconnect, delete (linking itself: link-browser.ts). The relay account id IS the
 * vault id (both random 128-bit hex): a new browser needs it before login, because the vault
 * id salts the key derivation.
 *
 * What the relay receives: `authKey` (HKDF output of passphrase + Secret Key), the KDF
 * parameters and salt, and as "wrapped AK" the vault header (AK wrapped by KEK and by the
 * Recovery Key: opaque without passphrase + Secret Key, or the Recovery Key).
 */
import {
  isCryptoError,
  toBase64,
  unlockVault,
  utf8Encode,
  wipe,
  type VaultHeader,
} from '../../../shared/crypto';
import type { DeviceView } from '../../../shared/protocol';
import { RelayError } from '../sync/errors';
import { SyncServiceError } from './errors';
import { ACCOUNT_ID, DEFAULT_DEVICE_NAME, linkBrowser, type LinkInput } from './link-browser';
import { lockedRelayClient } from './locked-client';
import {
  SYNC_NUDGE,
  type RelayClientPort,
  type RelaySession,
  type SyncConfig,
  type SyncServicePorts,
} from './ports';

/** What Options → Sync shows. */
export interface SyncStatus {
  connected: boolean;
  relayUrl: string | undefined;
  accountId: string | undefined;
  syncSecrets: boolean;
  /** False when connected but the relay session is gone (the user must reconnect). */
  signedIn: boolean;
  lastSyncedAt: number | undefined;
  pending: number;
  error: string | undefined;
  running: boolean;
}

/** Creates the sync service (one per page). */
export function createSyncService(ports: SyncServicePorts) {
  const client = (relayUrl: string): RelayClientPort =>
    lockedRelayClient(ports.relay(relayUrl), ports.withLock);

  async function requireConfig(): Promise<SyncConfig> {
    const c = await ports.config.load();
    if (c === undefined) throw new SyncServiceError('not-connected');
    return c;
  }

  /** authKey for this vault from the passphrase (also verifies it). */
  async function authKeyFor(passphrase: string): Promise<{ authKey: string; header: VaultHeader }> {
    const header = await ports.vault.header();
    const secretKey = await ports.vault.secretKey();
    if (header === undefined || secretKey === undefined) throw new SyncServiceError('no-vault');
    const pinned = await ports.vault.pinnedKdf();
    try {
      const v = await unlockVault(header, passphrase, secretKey, pinned ? { pinned } : undefined);
      const authKey = toBase64(v.authKey);
      wipe(v.authKey);
      return { authKey, header };
    } catch (e) {
      if (isCryptoError(e, 'wrong-passphrase')) {
        throw new SyncServiceError('wrong-passphrase', { cause: e });
      }
      throw e;
    }
  }

  async function login(
    c: RelayClientPort,
    header: VaultHeader,
    authKey: string,
    config: SyncConfig,
  ) {
    const pinned = { kdf: (await ports.vault.pinnedKdf()) ?? header.kdf, salt: header.salt };
    await c.prelogin(config.accountId, pinned);
    await c.login(
      {
        accountId: config.accountId,
        authKey,
        device: { id: config.deviceId, name: config.deviceName },
      },
      pinned,
    );
  }

  const nudge = (m: (typeof SYNC_NUDGE)[keyof typeof SYNC_NUDGE]) => ports.channel.post(m);

  return {
    /** Current status for the Options page. */
    async status(): Promise<SyncStatus> {
      const config = await ports.config.load();
      const shared = await ports.shared.read();
      const progress = await ports.progress();
      return {
        connected: config !== undefined,
        relayUrl: config?.relayUrl,
        accountId: config?.accountId,
        syncSecrets: config?.syncSecrets ?? false,
        signedIn: config !== undefined && (await ports.relay(config.relayUrl).hasSession()),
        lastSyncedAt: progress.lastSyncedAt,
        pending: progress.pending,
        error: shared?.error,
        running: shared?.running ?? false,
      };
    },

    /** Calls `listener` when another page changes the status or config. */
    subscribe(listener: () => void): () => void {
      const a = ports.shared.subscribe(listener);
      const b = ports.channel.subscribe(listener);
      return () => {
        a();
        b();
      };
    },

    /** Creates the relay account for this (unlocked) vault and connects this browser. */
    async createAccount(input: { relayUrl: string; passphrase: string; deviceName?: string }) {
      if ((await ports.config.load()) !== undefined)
        throw new SyncServiceError('already-connected');
      const relayUrl = input.relayUrl.trim();
      // Checks the address (https, or http to loopback) before the costly key derivation.
      const c = client(relayUrl);
      const { authKey, header } = await authKeyFor(input.passphrase);
      const config: SyncConfig = {
        relayUrl,
        accountId: header.vaultId,
        deviceId: ports.newDeviceId(),
        deviceName: input.deviceName ?? DEFAULT_DEVICE_NAME,
        syncSecrets: false,
      };
      if (!ACCOUNT_ID.test(config.accountId)) throw new SyncServiceError('bad-header');
      try {
        await c.createAccount({
          accountId: config.accountId,
          authKey,
          kdf: header.kdf,
          salt: header.salt,
          wrappedAccountKey: toBase64(utf8Encode(JSON.stringify(header))),
        });
      } catch (e) {
        // The account exists (this vault was connected before, e.g. before a disconnect):
        // logging in with the authKey proves it is ours and reconnects to it.
        if (!(e instanceof RelayError && e.status === 409)) throw e;
      }
      await login(c, header, authKey, config);
      await ports.resetLocal();
      await ports.config.save(config);
      nudge(SYNC_NUDGE.configChanged);
      return config;
    },

    /**
     * Links a browser with no vault to an existing relay account: downloads the vault header,
     * derives with passphrase + Secret Key, and adopts the vault (which unlocks it).
     */
    async linkBrowser(input: LinkInput) {
      await linkBrowser(ports, client, input);
      nudge(SYNC_NUDGE.configChanged);
    },

    /** Logs in again after the relay session ended (browser restart, revoked, expired). */
    async reconnect(passphrase: string) {
      const config = await requireConfig();
      const { authKey, header } = await authKeyFor(passphrase);
      await login(client(config.relayUrl), header, authKey, config);
      nudge(SYNC_NUDGE.configChanged);
    },

    /** Calls `listener` when the running page applied relay changes to the local data. */
    onRemoteChange(listener: () => void): () => void {
      return ports.channel.subscribe((m) => m === SYNC_NUDGE.remoteChanged && listener());
    },

    /**
     * The connected relay with a token source, for other relay features of this page (the
     * sandbox); undefined when sync is not connected or not signed in.
     */
    async relaySession(): Promise<RelaySession | undefined> {
      let config: SyncConfig | undefined;
      try {
        config = await ports.config.load();
      } catch {
        return undefined; // locked
      }
      if (config === undefined) return undefined;
      const c = client(config.relayUrl);
      if (!(await c.hasSession())) return undefined;
      return { baseUrl: config.relayUrl, wsUrl: c.wsUrl, accessToken: () => c.accessToken() };
    },

    /** Asks the page running sync for a pass now. */
    syncNow() {
      nudge(SYNC_NUDGE.syncNow);
    },

    /** Turns "Sync API keys" on or off. */
    async setSyncSecrets(on: boolean) {
      const config = await requireConfig();
      await ports.config.save({ ...config, syncSecrets: on });
      nudge(SYNC_NUDGE.configChanged);
    },

    /** The account's devices with "last synced". */
    async devices(): Promise<DeviceView[]> {
      const config = await requireConfig();
      return (await client(config.relayUrl).devices()).devices;
    },

    /** Revokes another device's relay sessions. */
    async revokeDevice(id: string) {
      const config = await requireConfig();
      await client(config.relayUrl).revokeDevice(id);
    },

    /** Stops syncing here: logs out and forgets the relay (local data stays). */
    async disconnect() {
      const config = await requireConfig();
      await ports.config.save(undefined);
      nudge(SYNC_NUDGE.configChanged);
      await client(config.relayUrl)
        .logout()
        .catch(() => undefined); // offline: the session expires on its own
      await ports.resetLocal();
    },

    /** Deletes the relay account and everything on it (local data stays). */
    async deleteAccount(passphrase: string) {
      const config = await requireConfig();
      const { authKey } = await authKeyFor(passphrase);
      await client(config.relayUrl).deleteAccount(authKey);
      await ports.config.save(undefined);
      nudge(SYNC_NUDGE.configChanged);
      await ports.resetLocal();
    },
  };
}

/** The service type. */
export type SyncService = ReturnType<typeof createSyncService>;
