/**
 * Linking a browser with no vault to an existing relay account (first run → "Link to an
 * existing Nook", and Options → Sync): the relay's KDF answer is checked against the floor,
 * the vault header it returns must match the account and those parameters, and the vault is
 * adopted only if the passphrase opens it.
 */
import {
  deriveAuthKey,
  deriveMuk,
  fromBase64,
  parseSecretKey,
  parseVaultHeader,
  toBase64,
  utf8Decode,
  wipe,
  type VaultHeader,
} from '../../../shared/crypto';
import { SyncServiceError } from './errors';
import type { RelayClientPort, SyncConfig, SyncServicePorts } from './ports';

/** A relay account id (= the vault id): 128 random bits in hex. */
export const ACCOUNT_ID = /^[0-9a-f]{32}$/;
/** The device name the relay shows when the user gave none. */
export const DEFAULT_DEVICE_NAME = 'Nook browser';

/** What the user enters to link this browser. */
export interface LinkInput {
  relayUrl: string;
  accountId: string;
  passphrase: string;
  secretKey: string;
  deviceName?: string;
}

/** Links this browser (`client` makes the relay client for a URL) and saves the config. */
export async function linkBrowser(
  ports: SyncServicePorts,
  client: (relayUrl: string) => RelayClientPort,
  input: LinkInput,
): Promise<void> {
  if ((await ports.vault.header()) !== undefined) throw new SyncServiceError('vault-exists');
  const accountId = input.accountId.trim().toLowerCase();
  if (!ACCOUNT_ID.test(accountId)) throw new SyncServiceError('bad-account');
  let sk: Uint8Array;
  try {
    sk = parseSecretKey(input.secretKey.trim());
  } catch (cause) {
    throw new SyncServiceError('bad-secret-key', { cause });
  }
  const relayUrl = input.relayUrl.trim();
  const c = client(relayUrl);
  // Nothing is pinned on a fresh browser: the floor is checked, the answer is pinned.
  const offered = await c.preloginFresh(accountId);
  const muk = await deriveMuk(
    input.passphrase,
    sk,
    accountId,
    fromBase64(offered.salt),
    offered.kdf,
  );
  wipe(sk);
  const authKey = toBase64(await deriveAuthKey(muk));
  wipe(muk);
  const config: SyncConfig = {
    relayUrl,
    accountId,
    deviceId: ports.newDeviceId(),
    deviceName: input.deviceName ?? DEFAULT_DEVICE_NAME,
    syncSecrets: false,
  };
  let reply;
  try {
    reply = await c.login(
      { accountId, authKey, device: { id: config.deviceId, name: config.deviceName } },
      offered,
    );
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'unauthorized') {
      throw new SyncServiceError('bad-account', { cause: e });
    }
    throw e;
  }
  let header: VaultHeader;
  try {
    header = parseVaultHeader(JSON.parse(utf8Decode(fromBase64(reply.wrappedAccountKey))));
  } catch (cause) {
    throw new SyncServiceError('bad-header', { cause });
  }
  // The header must belong to this account and to the parameters we derived with.
  if (
    header.vaultId !== accountId ||
    header.salt !== offered.salt ||
    JSON.stringify(header.kdf) !== JSON.stringify(offered.kdf)
  ) {
    throw new SyncServiceError('bad-header');
  }
  if (!(await ports.vault.adopt(header, input.secretKey.trim(), input.passphrase))) {
    throw new SyncServiceError('wrong-passphrase');
  }
  await ports.resetLocal();
  await ports.config.save(config);
}
