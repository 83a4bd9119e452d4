/** Builds the engine's {@link SyncKeys} from an unlocked vault. */
import { hkdf, utf8Encode, type CollectionKey, type RecoveredVault } from '../../../shared/crypto';
import type { SyncKeys } from './ports';

/** HKDF info for the manifest MAC key; a separate label keeps it independent of every DEK. */
export const MANIFEST_KEY_INFO = 'nook/manifest/v1';

/** Derives the manifest MAC key from AK: HKDF-SHA256(AK, salt = vaultId, "nook/manifest/v1"). */
export async function deriveManifestKey(vault: Pick<RecoveredVault, 'ak' | 'vaultId'>) {
  return hkdf(vault.ak, utf8Encode(vault.vaultId), MANIFEST_KEY_INFO, 32);
}

/** The vault's collection keys and manifest key, as the sync engine wants them. */
export async function createSyncKeys(
  vault: Pick<RecoveredVault, 'ak' | 'vaultId' | 'keys'>,
): Promise<SyncKeys> {
  const keys: Record<string, CollectionKey> = vault.keys;
  const manifestKey = await deriveManifestKey(vault);
  return {
    vaultId: vault.vaultId,
    collectionKey: (c) => (Object.hasOwn(keys, c) ? keys[c] : undefined),
    manifestKey,
  };
}
