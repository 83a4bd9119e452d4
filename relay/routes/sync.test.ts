import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushReply } from '../../shared/protocol';
import { makeApp, pushOp, signUp, type TestAccount } from '../test-helpers';

describe('sync routes', () => {
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ app, cleanup } = await makeApp({
      limits: { maxEnvelopeBytes: 4096, maxOpsPerPush: 5, bodyBytes: 256 * 1024 },
    }));
  });
  afterAll(() => cleanup());

  const push = (acc: TestAccount, ops: unknown[]) =>
    app.inject({ method: 'POST', url: '/v1/sync/push', headers: acc.auth, payload: { ops } });
  const pull = (acc: TestAccount, q = '') =>
    app.inject({ method: 'GET', url: `/v1/sync/pull${q}`, headers: acc.auth });

  it('push then pull round-trips opaque envelopes in seq order', async () => {
    const acc = await signUp(app);
    const ops = [pushOp('a'), pushOp('b'), pushOp('c', { collection: 'memory' })];
    const res = await push(acc, ops);
    expect(res.statusCode).toBe(200);
    const body = res.json<PushReply>();
    expect(body.seq).toBe(3);
    expect(body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const p = (await pull(acc)).json();
    expect(p).toMatchObject({ cursor: 3, hasMore: false, seq: 3 });
    expect(p.records.map((r: { id: string; envelope: string }) => [r.id, r.envelope])).toEqual(
      ops.map((o) => [o.id, o.envelope]),
    );
  });

  it('a stale base revision is a per-op conflict carrying the server copy', async () => {
    const acc = await signUp(app);
    const v1 = pushOp('a');
    await push(acc, [v1]);
    const fresh = pushOp('b');
    const res = await push(acc, [pushOp('a'), fresh]);
    const [conflict, applied] = res.json<PushReply>().results;
    expect(conflict).toEqual({
      opId: expect.any(String),
      status: 'conflict',
      current: { revision: 1, seq: 1, deleted: false, envelope: v1.envelope },
    });
    expect(applied).toMatchObject({ status: 'applied', seq: 2 });
  });

  it('attack: replaying a push returns the original results and writes nothing new', async () => {
    const acc = await signUp(app);
    const ops = [pushOp('a'), pushOp('b')];
    const first = (await push(acc, ops)).json<PushReply>();
    const replay = (await push(acc, ops)).json<PushReply>();
    expect(replay).toEqual(first);
    expect((await pull(acc)).json().records).toHaveLength(2);
  });

  it('tombstones drop the ciphertext', async () => {
    const acc = await signUp(app);
    await push(acc, [pushOp('a')]);
    const del = pushOp('a', { baseRevision: 1, revision: 2, deleted: true, envelope: undefined });
    expect((await push(acc, [del])).json().results[0].status).toBe('applied');
    expect((await pull(acc)).json().records).toEqual([
      { collection: 'messages', id: 'a', revision: 2, seq: 2, deleted: true },
    ]);
  });

  it('pull pages with since/limit, cursor and hasMore', async () => {
    const acc = await signUp(app);
    await push(
      acc,
      ['a', 'b', 'c', 'd', 'e'].map((id) => pushOp(id)),
    );
    const p1 = (await pull(acc, '?since=0&limit=2')).json();
    expect(p1.records.map((r: { id: string }) => r.id)).toEqual(['a', 'b']);
    expect(p1).toMatchObject({ cursor: 2, hasMore: true });
    const p2 = (await pull(acc, `?since=${p1.cursor}&limit=10`)).json();
    expect(p2.records.map((r: { id: string }) => r.id)).toEqual(['c', 'd', 'e']);
    expect(p2).toMatchObject({ cursor: 5, hasMore: false });
  });

  it('caps a pull reply by bytes, still making progress', async () => {
    const { app: small, cleanup: done } = await (
      await import('../test-helpers')
    ).makeApp({
      limits: { maxEnvelopeBytes: 40_000, bodyBytes: 64 * 1024 + 1024 },
    });
    try {
      const acc = await signUp(small);
      const big = () => randomBytes(40_000).toString('base64');
      for (const id of ['a', 'b', 'c']) {
        await small.inject({
          method: 'POST',
          url: '/v1/sync/push',
          headers: acc.auth,
          payload: { ops: [pushOp(id, { envelope: big() })] },
        });
      }
      const p = (
        await small.inject({ method: 'GET', url: '/v1/sync/pull', headers: acc.auth })
      ).json();
      expect(p.records.length).toBeLessThan(3);
      expect(p.records.length).toBeGreaterThan(0);
      expect(p.hasMore).toBe(true);
      expect(p.cursor).toBe(p.records[p.records.length - 1].seq);
    } finally {
      await done();
    }
  });

  it.each([
    ['a string revision', { revision: '2' }],
    ['a negative base revision', { baseRevision: -1 }],
    ['a fractional revision', { revision: 1.5 }],
    ['a bad collection', { collection: 'Bad Name' }],
    ['a path-like record id', { id: '../../x' }],
    ['a non-base64 envelope', { envelope: 'not base64!' }],
    ['a missing opId', { opId: undefined }],
    ['an extra field', { account: 'someone-else' }],
  ])('rejects an op with %s (400)', async (_n, patch) => {
    const acc = await signUp(app);
    const res = await push(acc, [pushOp('a', patch)]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid-request');
  });

  it.each([
    ['revision not above base', { baseRevision: 3, revision: 3 }, /revision must be greater/],
    ['a tombstone with an envelope', { deleted: true }, /tombstone carries no envelope/],
    ['a live record without envelope', { envelope: undefined }, /envelope is required/],
    ['an empty envelope', { envelope: '' }, /envelope is empty/],
  ])('rejects %s with a clear 400', async (_n, patch, message) => {
    const acc = await signUp(app);
    const res = await push(acc, [pushOp('ok'), pushOp('a', patch)]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(message);
    expect(res.json().error.message).toMatch(/^ops\/1/);
    // Nothing of a rejected push is applied.
    expect((await pull(acc)).json().records).toEqual([]);
  });

  it('rejects an empty op list, too many ops, an oversize envelope and an oversize body', async () => {
    const acc = await signUp(app);
    expect((await push(acc, [])).statusCode).toBe(400);
    const many = await push(
      acc,
      Array.from({ length: 6 }, (_, i) => pushOp(`r${i}`)),
    );
    expect(many.statusCode).toBe(413);
    expect(many.json().error.message).toMatch(/at most 5 ops/);
    const big = await push(acc, [pushOp('a', { envelope: randomBytes(4097).toString('base64') })]);
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toMatch(/4097 bytes; the limit is 4096/);
    const huge = await push(acc, [
      pushOp('a', { envelope: randomBytes(300_000).toString('base64') }),
    ]);
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload-too-large');
  });

  it.each(['since=-1', 'since=abc', 'limit=0', 'limit=1001', 'since=1e3', 'x=1'])(
    'rejects pull query %s with 400',
    async (q) => {
      const acc = await signUp(app);
      const res = await pull(acc, `?${q}`);
      expect(res.statusCode).toBe(400);
    },
  );

  it("attack: accounts never see or overwrite each other's records", async () => {
    const alice = await signUp(app);
    const mallory = await signUp(app);
    const secret = pushOp('shared-id');
    await push(alice, [secret]);
    // Mallory writes the same collection/id: a separate record in her own account.
    const res = await push(mallory, [pushOp('shared-id')]);
    expect(res.json().results[0].status).toBe('applied');
    const hers = await pull(mallory);
    expect(hers.body).not.toContain(secret.envelope);
    // And her conflict probes cannot read Alice's copy either.
    const probe = await push(mallory, [pushOp('shared-id', { baseRevision: 5, revision: 6 })]);
    expect(probe.body).not.toContain(secret.envelope);
    const mine = (await pull(alice)).json();
    expect(mine.records).toHaveLength(1);
    expect(mine.records[0].envelope).toBe(secret.envelope);
  });

  it('records sync time on the device', async () => {
    const acc = await signUp(app);
    await pull(acc);
    const devices = (
      await app.inject({ method: 'GET', url: '/v1/devices', headers: acc.auth })
    ).json().devices;
    expect(devices[0].lastSyncedAt).toEqual(expect.any(Number));
  });

  describe('manifest', () => {
    it('stores the blob only when the counter grows', async () => {
      const acc = await signUp(app);
      const none = await app.inject({ method: 'GET', url: '/v1/sync/manifest', headers: acc.auth });
      expect(none.statusCode).toBe(404);
      const put = (counter: number, blob: string) =>
        app.inject({
          method: 'PUT',
          url: '/v1/sync/manifest',
          headers: acc.auth,
          payload: { counter, blob },
        });
      expect((await put(5, 'AAAA')).statusCode).toBe(200);
      const rollback = await put(4, 'BBBB');
      expect(rollback.statusCode).toBe(409);
      expect(rollback.json().error.code).toBe('stale-manifest');
      expect((await put(5, 'BBBB')).statusCode).toBe(409);
      expect((await put(6, 'CCCC')).statusCode).toBe(200);
      const got = await app.inject({ method: 'GET', url: '/v1/sync/manifest', headers: acc.auth });
      expect(got.json()).toMatchObject({ counter: 6, blob: 'CCCC' });
    });

    it.each([
      ['a zero counter', { counter: 0, blob: 'AAAA' }, 400],
      ['a string counter', { counter: '7', blob: 'AAAA' }, 400],
      ['a bad blob', { counter: 7, blob: '@@@@' }, 400],
      ['an oversize blob', { counter: 7, blob: randomBytes(5000).toString('base64') }, 413],
    ])('rejects %s', async (_n, payload, status) => {
      const acc = await signUp(app);
      const res = await app.inject({
        method: 'PUT',
        url: '/v1/sync/manifest',
        headers: acc.auth,
        payload,
      });
      expect(res.statusCode).toBe(status);
    });
  });
});
