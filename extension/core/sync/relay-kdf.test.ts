import { describe, expect, it } from 'vitest';
import { DEFAULT_KDF, FALLBACK_KDF, KDF_FLOOR } from '../../../shared/crypto';
import { assertRelayKdf } from './relay-kdf';

const salt = 'AAAAAAAAAAAAAAAAAAAAAA==';
const pinned = { kdf: DEFAULT_KDF, salt };

describe('KDF downgrade at relay login', () => {
  it('accepts the pinned parameters and the equal-work fallback', () => {
    expect(() => assertRelayKdf({ kdf: { ...DEFAULT_KDF }, salt }, pinned)).not.toThrow();
    expect(() => assertRelayKdf({ kdf: { ...FALLBACK_KDF }, salt }, pinned)).not.toThrow();
  });

  it.each([
    ['weaker than pinned', { ...KDF_FLOOR, memoryKiB: 32768 }, 'kdf-downgrade'],
    ['below the floor', { ...DEFAULT_KDF, memoryKiB: 1024, iterations: 1 }, 'kdf-too-weak'],
    ['halved memory twice', { ...DEFAULT_KDF, memoryKiB: 16384, iterations: 12 }, 'kdf-too-weak'],
  ])('refuses parameters %s', (_name, kdf, reason) => {
    expect(() => assertRelayKdf({ kdf, salt }, pinned)).toThrow(
      expect.objectContaining({ code: 'kdf-downgrade', details: { reason } }),
    );
  });

  it('refuses a changed salt', () => {
    expect(() =>
      assertRelayKdf({ kdf: DEFAULT_KDF, salt: 'AQAAAAAAAAAAAAAAAAAAAA==' }, pinned),
    ).toThrow(
      expect.objectContaining({ code: 'kdf-downgrade', details: { reason: 'salt-changed' } }),
    );
  });
});
