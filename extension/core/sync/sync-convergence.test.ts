/**
 * Property-based convergence: random interleavings of edits, deletes and syncs on two
 * devices (optionally over a noisy network that duplicates, reorders and drops replies)
 * must end with both devices — and a new device pulling from the relay — identical.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSyncError, RelayError } from './errors';
import { createFakeRelay, type FakeRelay } from './fake-relay';
import type { RelayTransport } from './ports';
import { createTestDevice, fakeSyncKeys, snapshotDevice, type TestDevice } from './sync-test-kit';

type Cmd =
  | { t: 'field'; dev: number; id: string; field: string; value: string }
  | { t: 'memory'; dev: number; id: string; value: string }
  | { t: 'message'; dev: number; id: string; value: string }
  | { t: 'remove'; dev: number; collection: string; id: string }
  | { t: 'sync'; dev: number };

const dev = fc.integer({ min: 0, max: 1 });
const text = fc.constantFrom('a', 'b', 'c', 'd');
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({
    t: fc.constant('field' as const),
    dev,
    id: fc.constantFrom('c0', 'c1'),
    field: fc.constantFrom('title', 'model'),
    value: text,
  }),
  fc.record({
    t: fc.constant('memory' as const),
    dev,
    id: fc.constantFrom('k0', 'k1'),
    value: text,
  }),
  fc.record({
    t: fc.constant('message' as const),
    dev,
    id: fc.constantFrom('m0', 'm1', 'm2'),
    value: text,
  }),
  fc.record({
    t: fc.constant('remove' as const),
    dev,
    collection: fc.constantFrom('conversations', 'memory', 'messages'),
    id: fc.constantFrom('c0', 'k0', 'm0'),
  }),
  fc.record({ t: fc.constant('sync' as const), dev }),
  fc.record({ t: fc.constant('sync' as const), dev }),
);

/** mulberry32: a tiny seeded PRNG so a failing case replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An honest relay behind a network that duplicates, reorders and loses replies. */
function noisy(relay: FakeRelay, random: () => number): RelayTransport {
  const t = relay.transport;
  return {
    async push(body) {
      if (random() < 0.3) await t.push(structuredClone(body)); // duplicate delivery
      const reply = await t.push(body);
      if (random() < 0.2) throw new RelayError('network', 'reply lost (test)');
      return reply;
    },
    async pull(since, limit) {
      const reply = await t.pull(since, limit);
      const records = [...reply.records];
      for (const r of reply.records) if (random() < 0.3) records.push(structuredClone(r));
      records.sort(() => random() - 0.5); // reorder within the page
      return { ...reply, records };
    },
    getManifest: () => t.getManifest(),
    putManifest: (b) => t.putManifest(b),
  };
}

async function run(cmds: Cmd[], noise: number | undefined) {
  const relay = createFakeRelay();
  const keys = fakeSyncKeys();
  const random = noise === undefined ? undefined : prng(noise);
  const mk = (name: string) =>
    createTestDevice(relay, keys, name, {
      maxAttempts: 50,
      ...(random === undefined ? {} : { transport: noisy(relay, random) }),
    });
  const devices: TestDevice[] = [mk('A'), mk('B')];
  const removed = new Set<string>();
  const created = new Set<string>();
  for (const c of cmds) {
    const d = devices[c.dev]!.engine;
    try {
      if (c.t === 'field') await d.setFields('conversations', c.id, { [c.field]: c.value });
      else if (c.t === 'memory') await d.setBody('memory', c.id, c.value);
      else if (c.t === 'message') {
        if ((await d.read('messages', c.id)) === undefined) {
          await d.setBody('messages', c.id, c.value);
          created.add(c.id);
        }
      } else if (c.t === 'remove') {
        await d.remove(c.collection, c.id);
        removed.add(`${c.collection}/${c.id}`);
      } else await d.sync();
    } catch (e) {
      // Writing to a record this device already knows is deleted is refused by design.
      if (!isSyncError(e, 'invalid-write')) throw e;
    }
  }
  for (let i = 0; i < 3; i++) for (const d of devices) await d.engine.sync();
  const [a, b] = devices as [TestDevice, TestDevice];
  const snapA = await snapshotDevice(a);
  expect(await snapshotDevice(b)).toEqual(snapA);
  // Quiescent: nothing left to send.
  for (const d of devices) {
    expect(await d.store.listDirty()).toEqual([]);
    expect(d.store.outbox.size).toBe(0);
  }
  // The relay holds exactly that state: a new device pulls the same thing (and the manifest checks).
  const c = createTestDevice(relay, keys, 'C');
  await c.engine.sync();
  expect(await snapshotDevice(c)).toEqual(snapA);
  // Deletes win and stay: nothing removed anywhere comes back.
  for (const key of removed) {
    const [collection, id] = key.split('/') as [string, string];
    expect(await a.engine.read(collection, id)).toBeUndefined();
  }
  // Messages are never lost unless deleted.
  for (const id of created) {
    if (!removed.has(`messages/${id}`)) expect(await a.engine.read('messages', id)).toBeDefined();
  }
}

describe('convergence (property-based)', () => {
  it('concurrent offline edits on two devices converge', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { maxLength: 30 }), (cmds) => run(cmds, undefined)),
      { numRuns: 60 },
    );
  });

  it('replayed, reordered and duplicated delivery converges to the honest state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { maxLength: 30 }), fc.integer(), (cmds, seed) =>
        run(cmds, seed),
      ),
      { numRuns: 60 },
    );
  });
});
