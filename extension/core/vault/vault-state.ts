import type { EmergencyKit } from './emergency-kit';

/**
 * Where the vault is in its life: `uninitialized → kit-pending → unlocked ⇄ locked`.
 * `kit-pending` holds the keys in this page's memory only; the session is written when
 * the user confirms the kit, so a panel closed early falls back to `locked`.
 */
export type VaultState =
  | { status: 'loading' }
  | { status: 'uninitialized' }
  | { status: 'kit-pending'; kit: EmergencyKit; reason: 'created' | 'rotated' | 'recovered' }
  | { status: 'locked'; failures: number; retryAt: number }
  | { status: 'unlocked'; vaultId: string }
  | { status: 'failed'; message: string };

/** Outcome of a passphrase attempt; wrong guesses are expected, not exceptional. */
export type AttemptResult =
  | { ok: true }
  | { ok: false; reason: 'wrong-passphrase' | 'throttled'; message: string; retryAt: number };

/** Outcome of "Forgot passphrase". */
export type RecoverResult =
  { ok: true } | { ok: false; reason: 'bad-recovery-key'; message: string };
