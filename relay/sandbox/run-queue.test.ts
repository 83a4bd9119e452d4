import { describe, expect, it } from 'vitest';
import { SandboxBusyError } from './errors';
import { createRunQueue } from './run-queue';

const tick = () => new Promise((r) => setImmediate(r));

describe('createRunQueue', () => {
  it('runs one at a time per account, queues two, then refuses with SandboxBusyError', async () => {
    const q = createRunQueue({ queueLength: 2, maxConcurrent: 8 });
    const order: string[] = [];
    const first = await q.acquire('a');
    const waiting = [1, 2].map((n) => q.acquire('a').then((rel) => (order.push(`run${n}`), rel)));
    await expect(q.acquire('a')).rejects.toBeInstanceOf(SandboxBusyError);
    await tick();
    expect(order).toEqual([]);
    first();
    const second = await waiting[0]!;
    expect(order).toEqual(['run1']);
    second();
    (await waiting[1]!)();
    expect(order).toEqual(['run1', 'run2']);
    // Drained: a new run is admitted at once.
    (await q.acquire('a'))();
  });

  it("one account's full queue does not affect another account", async () => {
    const q = createRunQueue({ queueLength: 0, maxConcurrent: 8 });
    const a = await q.acquire('a');
    await expect(q.acquire('a')).rejects.toBeInstanceOf(SandboxBusyError);
    const b = await q.acquire('b');
    a();
    b();
  });

  it('caps concurrent runs across accounts and admits waiters first come, first served', async () => {
    const q = createRunQueue({ queueLength: 2, maxConcurrent: 2 });
    const r1 = await q.acquire('a');
    const r2 = await q.acquire('b');
    expect(q.active()).toBe(2);
    let c = false;
    const pc = q.acquire('c').then((rel) => ((c = true), rel));
    await tick();
    expect(c).toBe(false);
    r1();
    const rc = await pc;
    expect(c).toBe(true);
    expect(q.active()).toBe(2);
    r2();
    rc();
    rc(); // releasing twice is harmless
    expect(q.active()).toBe(0);
  });

  it('refuses new work after close', async () => {
    const q = createRunQueue({ queueLength: 2, maxConcurrent: 2 });
    q.close();
    await expect(q.acquire('a')).rejects.toMatchObject({ code: 'closed' });
  });
});
