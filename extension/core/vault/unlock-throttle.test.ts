import { describe, expect, it } from 'vitest';
import { nextAttemptAt, unlockDelayMs } from './unlock-throttle';

describe('unlock throttle', () => {
  it('lets three typos through, then doubles from one second up to 30 s', () => {
    const delays = Array.from({ length: 12 }, (_, i) => unlockDelayMs(i + 1));
    expect(delays).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });

  it('computes the next allowed attempt from the persisted counter', () => {
    expect(nextAttemptAt({ failures: 2, lastFailureAt: 5000 })).toBe(0);
    expect(nextAttemptAt({ failures: 5, lastFailureAt: 5000 })).toBe(7000);
  });
});
