/**
 * Argon2id parameters, their validation and downgrade protection, and calibration.
 *
 * Downgrade rule (see README): params `a` are at least as strong as pinned `b` when
 *   (a.memory >= b.memory AND a.iterations >= b.iterations), OR
 *   (a.memory * a.iterations >= b.memory * b.iterations AND a.memory >= b.memory / 2).
 * The second clause lets a device that calibrated to FALLBACK (32 MiB x 6) and one that
 * uses DEFAULT (64 MiB x 3) accept each other's header (equal total work), while one
 * halving is the most memory an attacker-controlled header can trade for time: memory is
 * what makes GPU/ASIC guessing expensive, so it may not be traded away freely.
 * Parallelism is not part of strength (it does not change the attacker's total work).
 */
import { argon2id as hashWasmArgon2id } from 'hash-wasm';
import { randomBytes, utf8Encode } from './bytes';
import { CryptoError } from './errors';

/** Argon2id cost parameters as stored in a vault header. */
export interface KdfParams {
  alg: 'argon2id';
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/** Default for new vaults: 64 MiB, t=3, p=4. */
export const DEFAULT_KDF: KdfParams = Object.freeze({
  alg: 'argon2id',
  memoryKiB: 65536,
  iterations: 3,
  parallelism: 4,
});

/** Used when DEFAULT takes longer than the calibration budget: 32 MiB, t=6, p=4 (same work). */
export const FALLBACK_KDF: KdfParams = Object.freeze({
  alg: 'argon2id',
  memoryKiB: 32768,
  iterations: 6,
  parallelism: 4,
});

/** OWASP minimum for Argon2id: 19 MiB, t=2, p=1. Nothing weaker is ever derived from. */
export const KDF_FLOOR: KdfParams = Object.freeze({
  alg: 'argon2id',
  memoryKiB: 19456,
  iterations: 2,
  parallelism: 1,
});

/** Upper sanity bounds: anything beyond is a malformed or hostile header (a DoS on unlock). */
export const KDF_LIMITS = Object.freeze({
  maxMemoryKiB: 4 * 1024 * 1024,
  maxIterations: 100,
  maxParallelism: 16,
});

function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;
}

/**
 * Throw CryptoError('kdf-invalid') unless `params` is well-formed Argon2id parameters within
 * sane bounds. Does not check the floor (the raw KAT vectors use tiny memory).
 */
export function assertKdfWellFormed(params: unknown): asserts params is KdfParams {
  const p = params as Partial<KdfParams> | null;
  const ok =
    typeof p === 'object' &&
    p !== null &&
    p.alg === 'argon2id' &&
    isPositiveInt(p.memoryKiB) &&
    isPositiveInt(p.iterations) &&
    isPositiveInt(p.parallelism) &&
    p.parallelism <= KDF_LIMITS.maxParallelism &&
    p.iterations <= KDF_LIMITS.maxIterations &&
    p.memoryKiB <= KDF_LIMITS.maxMemoryKiB &&
    // Argon2 needs at least 8 KiB per lane.
    p.memoryKiB >= 8 * p.parallelism;
  if (!ok) {
    throw new CryptoError('kdf-invalid', undefined, { details: { params: describe(params) } });
  }
}

// Only echo the numeric fields back in error details (never anything else a header carried).
function describe(params: unknown): Record<string, unknown> | string {
  if (typeof params !== 'object' || params === null) return typeof params;
  const { alg, memoryKiB, iterations, parallelism } = params as Record<string, unknown>;
  return { alg, memoryKiB, iterations, parallelism };
}

/**
 * True when `a` is at least as strong as `b` under the downgrade rule in this file's header
 * comment. Both must be well-formed.
 */
export function isStrongerOrEqual(a: KdfParams, b: KdfParams): boolean {
  if (a.memoryKiB >= b.memoryKiB && a.iterations >= b.iterations) return true;
  return a.memoryKiB * a.iterations >= b.memoryKiB * b.iterations && a.memoryKiB * 2 >= b.memoryKiB;
}

/**
 * Gate every passphrase derivation: throws kdf-invalid (malformed/absurd), kdf-too-weak
 * (below {@link KDF_FLOOR}) or kdf-downgrade (weaker than `pinned`). MUST run before Argon2id.
 */
export function assertKdfAcceptable(params: KdfParams, pinned?: KdfParams): void {
  assertKdfWellFormed(params);
  if (params.memoryKiB < KDF_FLOOR.memoryKiB || params.iterations < KDF_FLOOR.iterations) {
    throw new CryptoError('kdf-too-weak', undefined, { details: { params: describe(params) } });
  }
  if (pinned !== undefined) {
    assertKdfWellFormed(pinned);
    if (!isStrongerOrEqual(params, pinned)) {
      throw new CryptoError('kdf-downgrade', undefined, {
        details: { params: describe(params), pinned: describe(pinned) },
      });
    }
  }
}

/** Passphrases are NFKC-normalised so the same words typed on any OS give the same key. */
export function normalizePassphrase(p: string): Uint8Array {
  return utf8Encode(p.normalize('NFKC'));
}

/**
 * Raw Argon2id (version 0x13) via hash-wasm. Only checks well-formedness, not the floor.
 * @internal HAZMAT: use deriveMuk() / createVault(), which enforce the floor and pins.
 */
export async function argon2id(
  password: Uint8Array,
  salt: Uint8Array,
  params: KdfParams,
  outLen = 32,
): Promise<Uint8Array> {
  assertKdfWellFormed(params);
  if (salt.length < 8) throw new RangeError('argon2id: salt must be at least 8 bytes');
  if (!Number.isSafeInteger(outLen) || outLen < 4 || outLen > 1024) {
    throw new RangeError('argon2id: outLen must be 4..1024');
  }
  return hashWasmArgon2id({
    password,
    salt,
    iterations: params.iterations,
    parallelism: params.parallelism,
    memorySize: params.memoryKiB,
    hashLength: outLen,
    outputType: 'binary',
  });
}

/** Result of {@link calibrateKdf}. */
export interface KdfCalibration {
  params: KdfParams;
  measuredMs: number;
}

async function timeArgon2(params: KdfParams): Promise<number> {
  const start = performance.now();
  await argon2id(randomBytes(16), randomBytes(16), params);
  return performance.now() - start;
}

/**
 * Pick parameters for a new vault on this device: DEFAULT if one derivation fits the budget
 * (1000 ms), otherwise FALLBACK (same total work, half the memory). Never below the floor.
 * `measure` is injectable so tests and benchmarks need not depend on the machine's speed.
 */
export async function calibrateKdf(opts?: {
  budgetMs?: number;
  measure?: (p: KdfParams) => Promise<number>;
}): Promise<KdfCalibration> {
  const budgetMs = opts?.budgetMs ?? 1000;
  const measure = opts?.measure ?? timeArgon2;
  const defaultMs = await measure(DEFAULT_KDF);
  if (defaultMs <= budgetMs) return { params: { ...DEFAULT_KDF }, measuredMs: defaultMs };
  const fallbackMs = await measure(FALLBACK_KDF);
  const params = { ...FALLBACK_KDF };
  assertKdfAcceptable(params);
  return { params, measuredMs: fallbackMs };
}
