/**
 * The stored login verifier: Argon2id(authKey) keyed with the server pepper (hash-wasm's
 * `secret`). A stolen database without the pepper gives an attacker nothing to test
 * guesses against; with it, each guess still costs a full client KDF plus this Argon2id.
 */
import { randomBytes } from 'node:crypto';
import { argon2Verify, argon2id } from 'hash-wasm';

export interface VerifierParams {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

export interface Verifier {
  /** Encoded `$argon2id$…` string to store. */
  create(authKey: Uint8Array): Promise<string>;
  verify(authKey: Uint8Array, encoded: string): Promise<boolean>;
  /** Spends the same work as a real verify, for unknown accounts (no timing oracle). */
  burn(authKey: Uint8Array): Promise<void>;
}

/** Creates the verifier service for the configured cost. */
export function createVerifier(params: VerifierParams, pepper: Uint8Array): Verifier {
  const create = (authKey: Uint8Array) =>
    argon2id({
      password: authKey,
      salt: randomBytes(16),
      secret: pepper,
      memorySize: params.memoryKiB,
      iterations: params.iterations,
      parallelism: params.parallelism,
      hashLength: 32,
      outputType: 'encoded',
    });
  let dummy: Promise<string> | undefined;
  const verify = async (authKey: Uint8Array, encoded: string) => {
    try {
      return await argon2Verify({ password: authKey, secret: pepper, hash: encoded });
    } catch {
      // A malformed stored hash is a failed login, never a crash or a leak of the hash.
      return false;
    }
  };
  return {
    create,
    verify,
    async burn(authKey) {
      dummy ??= create(randomBytes(32));
      await verify(authKey, await dummy);
    },
  };
}
