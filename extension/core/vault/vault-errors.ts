/** Failures of vault operations that are programming or state errors, not user typos. */
export const VAULT_ERROR_CODE = [
  'locked',
  'not-initialized',
  'already-initialized',
  'weak-passphrase',
  'passphrase-mismatch',
  'bad-state',
  'damaged-vault',
  'kit-outdated',
] as const;
export type VaultErrorCode = (typeof VAULT_ERROR_CODE)[number];

/** A coded vault error whose message is safe to show (it never holds secrets). */
export class VaultError extends Error {
  readonly code: VaultErrorCode;
  constructor(
    code: VaultErrorCode,
    message: string = VAULT_TEXT[code],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VaultError';
    this.code = code;
  }
}

/** The words the UI shows; kept beside the logic so tests can assert them. */
export const VAULT_TEXT = {
  locked: 'Nook is locked. Unlock it to continue.',
  'not-initialized': 'There is no vault on this device yet.',
  'already-initialized':
    'A vault was already created on this device (perhaps in another window). Unlock it instead.',
  'weak-passphrase': 'This passphrase is too easy to guess. Add a few more words.',
  'passphrase-mismatch': "The two passphrases don't match.",
  'bad-state': 'That step is not available right now. Reopen Nook and try again.',
  'damaged-vault':
    'The vault header on this device is damaged or was tampered with, so it cannot be unlocked here.',
  'kit-outdated':
    'A newer Emergency Kit was issued in another Nook window, so this one no longer works. Unlock to get a fresh kit.',
  'open-failed':
    'Nook could not open its storage. Close and reopen this page; if that keeps happening, restart the browser.',
  wrongPassphrase: 'Wrong passphrase.',
  badRecoveryKey:
    "That Recovery Key doesn't match this vault. Check it against your Emergency Kit.",
} as const;
