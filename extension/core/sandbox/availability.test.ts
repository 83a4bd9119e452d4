import { describe, expect, it } from 'vitest';
import { createSandboxAvailability } from './availability';
import { createFakeSandbox } from './fake-sandbox';

describe('sandbox availability', () => {
  it('offers the sandbox only while connected and the relay runs it, re-checking when stale', async () => {
    let t = 0;
    const sandbox = createFakeSandbox({ connected: false });
    const a = createSandboxAvailability(sandbox, { now: () => t, maxAgeMs: 60_000 });
    expect(await a.check()).toBe(false);
    sandbox.setConnected(true);
    t += 1_000;
    expect(a.available()).toBe(false); // still fresh
    t += 5_000;
    a.available(); // stale "off": re-checks in the background
    await new Promise((r) => setTimeout(r, 0));
    expect(a.available()).toBe(true);
    sandbox.fail('sandboxOn', 'relay-down');
    expect(await a.check()).toBe(false);
  });
});
