import { VAULT_TEXT } from './vault-errors';

/** Shortest passphrase Nook accepts. Strength is judged separately (zxcvbn). */
export const MIN_PASSPHRASE_LENGTH = 8;

/** Result of checking a passphrase form before any key derivation runs. */
export type PassphraseCheck = { ok: true } | { ok: false; message: string };

/**
 * Checks the new-passphrase form: length first (the reason users hit most), then that
 * both fields match. Counts code points so emoji and accents are not penalised.
 */
export function checkNewPassphrase(passphrase: string, confirm: string): PassphraseCheck {
  if ([...passphrase.normalize('NFKC')].length < MIN_PASSPHRASE_LENGTH) {
    return { ok: false, message: `Use at least ${MIN_PASSPHRASE_LENGTH} characters.` };
  }
  if (passphrase !== confirm) return { ok: false, message: VAULT_TEXT['passphrase-mismatch'] };
  return { ok: true };
}
