/**
 * Public surface of shared/crypto for the extension. HAZMAT helpers (aead.ts, raw argon2id in
 * kdf.ts) are deliberately not re-exported: import them by path only with a reason.
 * The relay must not import this file (it re-exports envelope/keys/vault); it imports
 * shared/crypto/kdf, /bytes and /hkdf by path.
 */
export {
  concatBytes,
  constantTimeEqual,
  fromBase64,
  fromBase64Url,
  fromHex,
  randomBytes,
  toBase64,
  toBase64Url,
  toHex,
  utf8Decode,
  utf8Encode,
  wipe,
} from './bytes';
export { CryptoError, CryptoErrorCode, isCryptoError, type CryptoErrorOptions } from './errors';
export {
  assertKdfAcceptable,
  assertKdfWellFormed,
  calibrateKdf,
  DEFAULT_KDF,
  FALLBACK_KDF,
  isStrongerOrEqual,
  KDF_FLOOR,
  KDF_LIMITS,
  normalizePassphrase,
  type KdfCalibration,
  type KdfParams,
} from './kdf';
export { hkdf } from './hkdf';
export { pad, PAD_BUCKET, unpad } from './padding';
export {
  ENVELOPE_VERSION,
  EnvelopeAlg,
  envelopeKeyId,
  open,
  openJson,
  recordAad,
  seal,
  sealJson,
  type CollectionKey,
  type RecordContext,
} from './envelope';
export {
  COLLECTIONS,
  deriveAuthKey,
  deriveCollectionKey,
  deriveCollectionKeys,
  deriveKek,
  deriveMuk,
  deriveRecoveryWrappingKey,
  formatRecoveryKey,
  formatSecretKey,
  generateRecoveryKey,
  generateSecretKey,
  parseRecoveryKey,
  parseSecretKey,
  SALT_BYTES,
  unwrapKey,
  wrapKey,
  type Collection,
} from './keys';
export {
  assertPassphraseAcceptable,
  changePassphrase,
  changePassphraseAndUnlock,
  createVault,
  lockVault,
  MIN_PASSPHRASE_CHARS,
  openVaultFromAk,
  parseVaultHeader,
  rotateRecoveryKey,
  unlockVault,
  unlockWithRecoveryKey,
  type RecoveredVault,
  type UnlockedVault,
  type VaultAk,
  type VaultHeader,
} from './vault';
