import {
  CryptoError,
  calibrateKdf,
  changePassphrase as rewrapPassphrase,
  createVault,
  rotateRecoveryKey,
  type KdfParams,
  type RecoveredVault,
  type VaultHeader,
} from '../../../shared/crypto';
import type { EmergencyKit } from './emergency-kit';
import type { Clock, MetaStore } from './ports';
import { VaultError } from './vault-errors';
import { requireMeta, resetFailures } from './vault-meta';

/**
 * The key-material steps of the vault's life, persisted in `meta`: create the vault,
 * re-wrap the account key under a new passphrase, issue a new Recovery Key. The state
 * machine in vault-service.ts decides when each one runs.
 */

/** Creates the vault and stores it, header last (its presence marks the vault as existing). */
export async function storeNewVault(meta: MetaStore, passphrase: string, kdf?: KdfParams) {
  const params = kdf ?? (await calibrateKdf()).params;
  let created: Awaited<ReturnType<typeof createVault>>;
  try {
    created = await createVault({ passphrase, kdf: params });
  } catch (e) {
    if (e instanceof CryptoError && e.code === 'weak-passphrase')
      throw new VaultError('weak-passphrase');
    throw e;
  }
  await meta.set('kdf', created.header.kdf);
  await meta.set('secretKey', created.secretKey);
  await resetFailures(meta);
  await meta.set('kitPending', true);
  await meta.set('header', created.header);
  return created;
}

/** Re-wraps the account key under `passphrase` (same pinned KDF) and stores the header. */
export async function storeNewPassphrase(
  meta: MetaStore,
  header: VaultHeader,
  vault: RecoveredVault,
  passphrase: string,
): Promise<VaultHeader> {
  const kdf = await requireMeta(meta, 'kdf');
  const secretKey = await requireMeta(meta, 'secretKey');
  const rewrapped = await rewrapPassphrase(header, vault, passphrase, secretKey, {
    kdf,
    pinned: kdf,
  });
  await meta.set('header', rewrapped);
  return rewrapped;
}

/**
 * Issues a new Recovery Key (the old one stops working) and marks the kit unconfirmed.
 * Returns the kit to show and the recovery wrap it belongs to.
 */
export async function storeNewKit(
  meta: MetaStore,
  clock: Clock,
  header: VaultHeader,
  vault: RecoveredVault,
): Promise<{ kit: EmergencyKit; wrap: string }> {
  const rotated = await rotateRecoveryKey(header, vault);
  await meta.set('header', rotated.header);
  await meta.set('kitPending', true);
  const kit: EmergencyKit = {
    vaultId: vault.vaultId,
    secretKey: await requireMeta(meta, 'secretKey'),
    recoveryKey: rotated.recoveryKey,
    createdAt: clock.now(),
  };
  return { kit, wrap: rotated.header.wrappedAkRecovery };
}
