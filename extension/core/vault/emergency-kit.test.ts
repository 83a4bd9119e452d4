import { describe, expect, it } from 'vitest';
import { kitFileName, renderKitText } from './emergency-kit';

describe('emergency kit file', () => {
  const kit = {
    vaultId: 'v-123',
    secretKey: 'NK1-AAAA-BBBB',
    recoveryKey: 'NKR-CCCC-DDDD',
    createdAt: Date.UTC(2026, 10, 23),
  };

  it('holds both keys and the vault id, and is named by date', () => {
    const text = renderKitText(kit);
    expect(text).toContain('Secret Key:    NK1-AAAA-BBBB');
    expect(text).toContain('Recovery Key:  NKR-CCCC-DDDD');
    expect(text).toContain('v-123');
    expect(kitFileName(kit)).toBe('Nook Emergency Kit 2026-11-23.txt');
  });
});
