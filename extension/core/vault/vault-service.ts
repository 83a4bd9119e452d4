import {
  CryptoError,
  fromBase64,
  lockVault,
  openVaultFromAk,
  toBase64,
  unlockWithRecoveryKey,
  type KdfParams,
  type RecoveredVault,
  type VaultHeader,
} from '../../../shared/crypto';
import { checkAutoLock } from './auto-lock';
import type { EmergencyKit } from './emergency-kit';
import { checkNewPassphrase } from './passphrase-policy';
import {
  systemClock,
  type Clock,
  type MetaStore,
  type SessionKeys,
  type SessionKeyStore,
} from './ports';
import { VaultError, VAULT_TEXT } from './vault-errors';
import { storeNewKit, storeNewPassphrase, storeNewVault } from './vault-keys';
import { checkPassphrase, readLockedState, requireMeta, resetFailures } from './vault-meta';
import type { AttemptResult, RecoverResult, VaultState } from './vault-state';

export type { AttemptResult, RecoverResult, VaultState } from './vault-state';

export interface VaultServiceDeps {
  meta: MetaStore;
  session: SessionKeyStore;
  clock?: Clock;
  /** Fixed KDF parameters (tests pass KDF_FLOOR); production calibrates once at creation. */
  kdf?: KdfParams;
  /** Reads the user's auto-lock minutes from the encrypted settings after unlock. */
  loadAutoLockMinutes?: (vault: RecoveredVault) => Promise<number>;
}

/** Minimum gap between two activity reports written to storage.session. */
const ACTIVITY_THROTTLE_MS = 20_000;
const DEFAULT_AUTO_LOCK_MINUTES = 15;

/** Creates the vault state machine for one extension page. Call `init()` once. */
export function createVaultService(deps: VaultServiceDeps) {
  const clock = deps.clock ?? systemClock;
  const listeners = new Set<(s: VaultState) => void>();
  let state: VaultState = { status: 'loading' };
  let vault: RecoveredVault | undefined;
  let lastTouch = 0;
  let unsubscribeSession: (() => void) | undefined;
  /** The recovery wrap the shown kit belongs to; another page may rotate it meanwhile. */
  let kitWrap: string | undefined;

  const setState = (next: VaultState) => {
    state = next;
    for (const l of listeners) l(next);
  };

  const need = <K extends 'header' | 'kdf' | 'secretKey'>(key: K) => requireMeta(deps.meta, key);

  /** Drops this page's keys, wiping the buffers as far as JavaScript allows. */
  function forget() {
    if (vault) lockVault(vault);
    vault = undefined;
  }

  const lockedState = () => readLockedState(deps.meta);

  async function startSession(v: RecoveredVault) {
    vault = v;
    const minutes = (await deps.loadAutoLockMinutes?.(v)) ?? DEFAULT_AUTO_LOCK_MINUTES;
    // Activity first, so the background never sees fresh keys with a stale idle clock.
    lastTouch = clock.now();
    await deps.session.touch(lastTouch);
    await deps.session.write({ vaultId: v.vaultId, ak: toBase64(v.ak), autoLockMinutes: minutes });
    setState({ status: 'unlocked', vaultId: v.vaultId });
  }

  async function showNewKit(
    header: VaultHeader,
    v: RecoveredVault,
    reason: 'rotated' | 'recovered',
  ) {
    const { kit, wrap } = await storeNewKit(deps.meta, clock, header, v);
    kitWrap = wrap;
    vault = v;
    setState({ status: 'kit-pending', kit, reason });
  }

  /** Checks a passphrase against the header, counting failures in `meta`. */
  const verifyPassphrase = (passphrase: string) => checkPassphrase(deps.meta, clock, passphrase);

  /** Follows storage.session changes made by this or another page (lock/unlock). */
  async function onSessionChange(keys: SessionKeys | undefined) {
    if (state.status === 'uninitialized' && (await deps.meta.get('header'))) {
      setState(await lockedState()); // created in another window; its unlock arrives next
    }
    if (!keys && state.status === 'unlocked') {
      forget();
      setState(await lockedState());
    } else if (keys && state.status === 'locked' && !(await deps.meta.get('kitPending'))) {
      const header = await deps.meta.get('header');
      if (header?.vaultId !== keys.vaultId) return;
      vault = await openVaultFromAk(keys.vaultId, fromBase64(keys.ak));
      setState({ status: 'unlocked', vaultId: keys.vaultId });
    }
  }

  function requireStatus(status: VaultState['status']) {
    if (state.status !== status) throw new VaultError('bad-state');
  }

  return {
    getState: (): VaultState => state,

    /** Listens to state changes; returns the unsubscribe function. */
    subscribe(listener: (s: VaultState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Reads meta and storage.session, then follows locks/unlocks made in other pages. */
    async init(): Promise<VaultState> {
      unsubscribeSession ??= deps.session.subscribe((k) => void onSessionChange(k));
      try {
        const header = await deps.meta.get('header');
        if (!header) {
          setState({ status: 'uninitialized' });
          return state;
        }
        const keys = await deps.session.read();
        const kitPending = (await deps.meta.get('kitPending')) ?? false;
        // Idle past the limit while the background slept: lock now rather than a minute later.
        const expired = keys !== undefined && (await checkAutoLock(deps.session, clock));
        if (keys && !expired && keys.vaultId === header.vaultId && !kitPending) {
          vault = await openVaultFromAk(keys.vaultId, fromBase64(keys.ak));
          setState({ status: 'unlocked', vaultId: keys.vaultId });
        } else {
          setState(await lockedState());
        }
      } catch {
        setState({ status: 'failed', message: VAULT_TEXT['open-failed'] });
      }
      return state;
    },

    /** Creates the vault and moves to `kit-pending`. Throws VaultError on a weak passphrase. */
    async create(passphrase: string, confirm: string): Promise<EmergencyKit> {
      requireStatus('uninitialized');
      const check = checkNewPassphrase(passphrase, confirm);
      if (!check.ok) throw new VaultError('weak-passphrase', check.message);
      // Another window may have created the vault since this one loaded: never overwrite it.
      if (await deps.meta.get('header')) {
        setState(await lockedState());
        throw new VaultError('already-initialized');
      }
      const created = await storeNewVault(deps.meta, passphrase, deps.kdf);
      vault = created.vault;
      kitWrap = created.header.wrappedAkRecovery;
      const kit: EmergencyKit = {
        vaultId: created.header.vaultId,
        secretKey: created.secretKey,
        recoveryKey: created.recoveryKey,
        createdAt: clock.now(),
      };
      setState({ status: 'kit-pending', kit, reason: 'created' });
      return kit;
    },

    /** The user saved the kit: forget the Recovery Key and open the app. */
    async confirmKit(): Promise<void> {
      requireStatus('kit-pending');
      if (!vault) throw new VaultError('locked');
      // Another window unlocked meanwhile and issued a newer kit: this Recovery Key is dead.
      if ((await need('header')).wrappedAkRecovery !== kitWrap) {
        forget();
        setState(await lockedState());
        throw new VaultError('kit-outdated');
      }
      await deps.meta.set('kitPending', false);
      await startSession(vault);
    },

    /** Unlocks with the passphrase (the Secret Key is read from this device). */
    async unlock(passphrase: string): Promise<AttemptResult> {
      requireStatus('locked');
      const result = await verifyPassphrase(passphrase);
      if (!result.ok) {
        setState(await lockedState());
        return result;
      }
      // A kit that was never confirmed: its Recovery Key may be lost, so issue a new one.
      if (await deps.meta.get('kitPending')) {
        await showNewKit(await need('header'), result.vault, 'rotated');
      } else {
        await startSession(result.vault);
      }
      return { ok: true };
    },

    /** Forgot passphrase: Recovery Key + new passphrase, then a new kit is shown. */
    async recover(
      recoveryKey: string,
      passphrase: string,
      confirm: string,
    ): Promise<RecoverResult> {
      requireStatus('locked');
      const check = checkNewPassphrase(passphrase, confirm);
      if (!check.ok) throw new VaultError('weak-passphrase', check.message);
      const header = await need('header');
      let v: RecoveredVault;
      try {
        v = await unlockWithRecoveryKey(header, recoveryKey.trim());
      } catch (e) {
        if (
          e instanceof CryptoError &&
          (e.code === 'bad-recovery-key' || e.code === 'bad-encoding')
        ) {
          return { ok: false, reason: 'bad-recovery-key', message: VAULT_TEXT.badRecoveryKey };
        }
        throw e;
      }
      const rewrapped = await storeNewPassphrase(deps.meta, header, v, passphrase);
      await resetFailures(deps.meta);
      await showNewKit(rewrapped, v, 'recovered');
      return { ok: true };
    },

    /** Verifies the current passphrase, then re-wraps the account key under the new one. */
    async changePassphrase(current: string, next: string, confirm: string): Promise<AttemptResult> {
      requireStatus('unlocked');
      const check = checkNewPassphrase(next, confirm);
      if (!check.ok) throw new VaultError('weak-passphrase', check.message);
      const verified = await verifyPassphrase(current);
      if (!verified.ok) return verified;
      const header = await need('header');
      try {
        await storeNewPassphrase(deps.meta, header, verified.vault, next);
      } finally {
        lockVault(verified.vault); // a second copy of the keys, only needed to prove the passphrase
      }
      return { ok: true };
    },

    /** Drops the keys here and in every page (storage.session is shared). */
    async lock(): Promise<void> {
      forget();
      await deps.session.clear();
      setState(await lockedState());
    },

    /** The unlocked keys; throws VaultError('locked') otherwise. */
    getVault(): RecoveredVault {
      if (!vault) throw new VaultError('locked');
      return vault;
    },

    /** Copies the auto-lock timeout into storage.session for the background. */
    async setAutoLockMinutes(minutes: number): Promise<void> {
      const keys = await deps.session.read();
      if (keys) await deps.session.write({ ...keys, autoLockMinutes: minutes });
    },

    /** Tells the background the user is active; writes at most every 20 s. */
    async reportActivity(): Promise<void> {
      if (state.status !== 'unlocked' || clock.now() - lastTouch < ACTIVITY_THROTTLE_MS) return;
      lastTouch = clock.now();
      await deps.session.touch(lastTouch);
    },

    /** Stops following storage.session (page unload, tests). */
    dispose(): void {
      unsubscribeSession?.();
      unsubscribeSession = undefined;
      listeners.clear();
    },
  };
}

/** The vault service's public shape, for hooks and tests. */
export type VaultService = ReturnType<typeof createVaultService>;
