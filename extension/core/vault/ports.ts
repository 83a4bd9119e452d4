import type { KdfParams, VaultHeader } from '../../../shared/crypto';

/**
 * What the vault keeps in the plain `meta` table: key-wrapping material and counters,
 * never user content. The Secret Key sits here on purpose (1Password-style): local
 * unlock needs only the passphrase, while a stolen relay copy still needs both.
 */
export interface VaultMeta {
  header: VaultHeader;
  /** KDF parameters pinned at creation; unlock refuses anything weaker. */
  kdf: KdfParams;
  secretKey: string;
  /** Consecutive wrong passphrases and when the last one happened (epoch ms). */
  throttle: { failures: number; lastFailureAt: number };
  /** True from vault creation until the user confirms the Emergency Kit. */
  kitPending: boolean;
}

/** Key/value access to the `meta` table. */
export interface MetaStore {
  get<K extends keyof VaultMeta>(key: K): Promise<VaultMeta[K] | undefined>;
  set<K extends keyof VaultMeta>(key: K, value: VaultMeta[K]): Promise<void>;
}

/** What an unlocked page shares through `storage.session` (memory-only in Chrome). */
export interface SessionKeys {
  vaultId: string;
  /** Account key, base64. */
  ak: string;
  autoLockMinutes: number;
}

/** The `storage.session` side of the vault: shared unlocked state across pages. */
export interface SessionKeyStore {
  read(): Promise<SessionKeys | undefined>;
  write(keys: SessionKeys): Promise<void>;
  clear(): Promise<void>;
  /** Records user activity (epoch ms) so the background can auto-lock when idle. */
  touch(at: number): Promise<void>;
  lastActivity(): Promise<number | undefined>;
  /** Calls back whenever the keys are written or removed, from any page. */
  subscribe(listener: (keys: SessionKeys | undefined) => void): () => void;
}

/** Time, injectable so tests can move it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
