/**
 * Typed errors for everything in shared/crypto.
 *
 * Messages and details never carry key material, passphrases or plaintext: they may end up in
 * logs, the UI or a bug report. Put identifiers (key ids, collection names) in `details` only.
 */

/** Every failure code a caller may branch on. */
export const CryptoErrorCode = {
  DecryptFailed: 'decrypt-failed',
  BadEnvelope: 'bad-envelope',
  UnsupportedVersion: 'unsupported-version',
  KdfTooWeak: 'kdf-too-weak',
  KdfDowngrade: 'kdf-downgrade',
  KdfInvalid: 'kdf-invalid',
  WrongPassphrase: 'wrong-passphrase',
  BadSecretKey: 'bad-secret-key',
  BadRecoveryKey: 'bad-recovery-key',
  BadEncoding: 'bad-encoding',
  WeakPassphrase: 'weak-passphrase',
} as const;

/** Union of the string values of {@link CryptoErrorCode}. */
export type CryptoErrorCode = (typeof CryptoErrorCode)[keyof typeof CryptoErrorCode];

const DEFAULT_MESSAGES: Record<CryptoErrorCode, string> = {
  'decrypt-failed': 'Decryption failed: wrong key or the data was modified.',
  'bad-envelope': 'The encrypted data is malformed.',
  'unsupported-version': 'The encrypted data uses an unsupported format version or algorithm.',
  'kdf-too-weak': 'The key-derivation parameters are below the minimum Nook accepts.',
  'kdf-downgrade': 'The key-derivation parameters are weaker than the ones pinned on this device.',
  'kdf-invalid': 'The key-derivation parameters are malformed.',
  'wrong-passphrase': 'Wrong passphrase or Secret Key.',
  'bad-secret-key': 'The Secret Key is not valid (check for a typo).',
  'bad-recovery-key': 'The Recovery Key is not valid or does not open this vault.',
  'bad-encoding': 'The data is not correctly encoded.',
  'weak-passphrase': 'The passphrase is too weak.',
};

/** Options accepted by {@link CryptoError}. */
export interface CryptoErrorOptions {
  /** Non-secret context (key ids, lengths, parameter values). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type thrown by shared/crypto for data-driven failures. */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: CryptoErrorCode, message?: string, options?: CryptoErrorOptions) {
    super(
      message ?? DEFAULT_MESSAGES[code],
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'CryptoError';
    this.code = code;
    if (options?.details !== undefined) this.details = options.details;
  }
}

/** True when `e` is a {@link CryptoError} (optionally with the given code). */
export function isCryptoError(e: unknown, code?: CryptoErrorCode): e is CryptoError {
  return e instanceof CryptoError && (code === undefined || e.code === code);
}
