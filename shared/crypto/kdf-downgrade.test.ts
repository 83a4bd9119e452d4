import * as hashWasm from 'hash-wasm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deriveMuk } from './keys';
import { FALLBACK_KDF, KDF_FLOOR, type KdfParams } from './kdf';
import { createVault, unlockVault } from './vault';

// Wrap the real hash-wasm argon2id in a spy so the tests can prove a refused parameter set
// never reached Argon2id (a hostile header must not even cost us a weak derivation).
vi.mock('hash-wasm', async (importOriginal) => {
  const real = await importOriginal<typeof import('hash-wasm')>();
  return { ...real, argon2id: vi.fn(real.argon2id) };
});
const argon2Spy = vi.mocked(hashWasm.argon2id);

const salt = new Uint8Array(16).fill(1);
const sk = new Uint8Array(16).fill(2);

describe('attack: KDF downgrade is refused before any derivation', () => {
  beforeEach(() => {
    argon2Spy.mockClear();
  });

  it('control: acceptable parameters do reach Argon2id', async () => {
    await deriveMuk('a passphrase', sk, 'v1', salt, KDF_FLOOR);
    expect(argon2Spy).toHaveBeenCalledTimes(1);
  });

  it('weaker than pinned -> kdf-downgrade, Argon2id never called', async () => {
    await expect(
      deriveMuk('a passphrase', sk, 'v1', salt, KDF_FLOOR, FALLBACK_KDF),
    ).rejects.toMatchObject({
      code: 'kdf-downgrade',
    });
    expect(argon2Spy).not.toHaveBeenCalled();
  });

  it('below the floor -> kdf-too-weak, Argon2id never called', async () => {
    const weak: KdfParams = { alg: 'argon2id', memoryKiB: 1024, iterations: 1, parallelism: 1 };
    await expect(deriveMuk('a passphrase', sk, 'v1', salt, weak)).rejects.toMatchObject({
      code: 'kdf-too-weak',
    });
    expect(argon2Spy).not.toHaveBeenCalled();
  });

  it('malformed -> kdf-invalid, Argon2id never called', async () => {
    const absurd = {
      alg: 'argon2id',
      memoryKiB: 2 ** 40,
      iterations: 3,
      parallelism: 4,
    } as KdfParams;
    await expect(deriveMuk('a passphrase', sk, 'v1', salt, absurd)).rejects.toMatchObject({
      code: 'kdf-invalid',
    });
    expect(argon2Spy).not.toHaveBeenCalled();
  });

  it('a relay that rewrites the header to weaker parameters is refused by the local pin', async () => {
    const { header, secretKey } = await createVault({
      passphrase: 'correct horse battery',
      kdf: FALLBACK_KDF,
    });
    argon2Spy.mockClear();
    const tampered = { ...header, kdf: { ...KDF_FLOOR } };
    await expect(
      unlockVault(tampered, 'correct horse battery', secretKey, { pinned: FALLBACK_KDF }),
    ).rejects.toMatchObject({ code: 'kdf-downgrade' });
    expect(argon2Spy).not.toHaveBeenCalled();
  });

  it('a header with absurd parameters (unlock DoS) is refused without deriving', async () => {
    const { header, secretKey } = await createVault({
      passphrase: 'correct horse battery',
      kdf: KDF_FLOOR,
    });
    argon2Spy.mockClear();
    const tampered = { ...header, kdf: { ...KDF_FLOOR, memoryKiB: 64 * 1024 * 1024 } };
    await expect(unlockVault(tampered, 'correct horse battery', secretKey)).rejects.toMatchObject({
      code: 'kdf-invalid',
    });
    expect(argon2Spy).not.toHaveBeenCalled();
  });
});
