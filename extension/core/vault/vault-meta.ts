import { CryptoError, unlockVault, type UnlockedVault } from '../../../shared/crypto';
import type { Clock, MetaStore, VaultMeta } from './ports';
import { nextAttemptAt } from './unlock-throttle';
import { VaultError, VAULT_TEXT } from './vault-errors';
import type { AttemptResult, VaultState } from './vault-state';

const NO_FAILURES = { failures: 0, lastFailureAt: 0 } as const;

/** Reads a `meta` entry that must exist once a vault was created. */
export async function requireMeta<K extends keyof VaultMeta>(
  meta: MetaStore,
  key: K,
): Promise<VaultMeta[K]> {
  const value = await meta.get(key);
  if (value === undefined) throw new VaultError('not-initialized');
  return value;
}

/** The `locked` state with the persisted failure counter and next allowed attempt. */
export async function readLockedState(meta: MetaStore): Promise<VaultState> {
  const t = (await meta.get('throttle')) ?? NO_FAILURES;
  return { status: 'locked', failures: t.failures, retryAt: nextAttemptAt(t) };
}

/** Forgets past failures (after any successful unlock). */
export async function resetFailures(meta: MetaStore): Promise<void> {
  await meta.set('throttle', { ...NO_FAILURES });
}

/**
 * Checks a passphrase against the stored header. Attempts inside the back-off window are
 * refused before any key derivation; each wrong passphrase is counted in `meta` so that a
 * reload cannot reset the delay. Anything but a wrong passphrase (bad header, downgraded
 * KDF, damaged Secret Key) is a damaged vault, not a typo.
 */
export async function checkPassphrase(
  meta: MetaStore,
  clock: Clock,
  passphrase: string,
): Promise<{ ok: true; vault: UnlockedVault } | Exclude<AttemptResult, { ok: true }>> {
  const throttle = (await meta.get('throttle')) ?? NO_FAILURES;
  const retryAt = nextAttemptAt(throttle);
  if (clock.now() < retryAt) {
    const seconds = Math.ceil((retryAt - clock.now()) / 1000);
    return {
      ok: false,
      reason: 'throttled',
      retryAt,
      message: `Too many attempts. Try again in ${seconds} s.`,
    };
  }
  const header = await requireMeta(meta, 'header');
  const pinned = await requireMeta(meta, 'kdf');
  const secretKey = await requireMeta(meta, 'secretKey');
  try {
    const vault = await unlockVault(header, passphrase, secretKey, { pinned });
    await resetFailures(meta);
    return { ok: true, vault };
  } catch (e) {
    if (!(e instanceof CryptoError)) throw e;
    if (e.code !== 'wrong-passphrase')
      throw new VaultError('damaged-vault', undefined, { cause: e });
    const next = { failures: throttle.failures + 1, lastFailureAt: clock.now() };
    await meta.set('throttle', next);
    return {
      ok: false,
      reason: 'wrong-passphrase',
      retryAt: nextAttemptAt(next),
      message: VAULT_TEXT.wrongPassphrase,
    };
  }
}
