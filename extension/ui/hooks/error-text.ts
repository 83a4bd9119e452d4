import { VaultError } from '../../core/vault/vault-errors';

/** A message safe to show for any thrown value: coded errors carry user text, others don't. */
export function errorText(
  e: unknown,
  fallback = 'Something went wrong. Please try again.',
): string {
  return e instanceof VaultError ? e.message : fallback;
}
