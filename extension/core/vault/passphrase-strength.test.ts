import { describe, expect, it } from 'vitest';
import { checkNewPassphrase } from './passphrase-policy';
import { loadStrengthMeter } from './passphrase-strength';

describe('passphrase checks', () => {
  it('rates dictionary passwords weak and long unusual sentences strong', async () => {
    const rate = await loadStrengthMeter();
    expect(rate('password').label).toBe('weak');
    expect(rate('qwertyuiop').label).toBe('weak');
    expect(rate('violet kettle migrates under 7 lanterns').label).toBe('strong');
  });

  it('asks for 8 characters (counted as code points) and matching fields', () => {
    expect(checkNewPassphrase('', '')).toEqual({
      ok: false,
      message: 'Use at least 8 characters.',
    });
    expect(checkNewPassphrase('abcd', 'abcd')).toEqual({
      ok: false,
      message: 'Use at least 8 characters.',
    });
    expect(checkNewPassphrase('🔑🔑🔑🔑🔑🔑🔑', '🔑🔑🔑🔑🔑🔑🔑').ok).toBe(false);
    expect(checkNewPassphrase('long enough', 'long enougH')).toMatchObject({ ok: false });
    expect(checkNewPassphrase('long enough', 'long enough')).toEqual({ ok: true });
  });
});
