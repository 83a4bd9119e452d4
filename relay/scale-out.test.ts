/** Two relay instances on one PostgreSQL database: shared accounts, LISTEN/NOTIFY fan-out. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushReply } from '../shared/protocol';
import { buildApp } from './app';
import { createPostgresStore } from './store/postgres-store';
import { pgTestUrl } from './store/pg-test-env';
import { login, pushOp, signUp, testConfig } from './test-helpers';
import { openAuthed } from './ws-test-client';

const url = pgTestUrl();

describe.skipIf(url === undefined)('scale-out on PostgreSQL', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const channel = `nook_${randomBytes(6).toString('hex')}`;
  let one: FastifyInstance;
  let two: FastifyInstance;
  let wsTwo: string;

  beforeAll(async () => {
    const pepper = new Uint8Array(randomBytes(32));
    const make = async () => {
      const store = await createPostgresStore({ url: url!, schema });
      const app = await buildApp(testConfig({ databaseUrl: url!, pepper, pgChannel: channel }), {
        store,
      });
      app.addHook('onClose', () => store.close());
      return app;
    };
    one = await make();
    two = await make();
    wsTwo = `${(await two.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws')}/v1/ws`;
  });

  afterAll(async () => {
    await one?.close();
    await two?.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('a push on instance 1 notifies a socket held by instance 2', async () => {
    const acc = await signUp(one);
    const laptop = await login(two, acc.accountId, acc.authKey); // tokens work on either instance
    const socket = await openAuthed(wsTwo, laptop.accessToken);
    expect(socket.hello).toMatchObject({ type: 'hello', seq: 0 });
    const res = await one.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: acc.auth,
      payload: { ops: [pushOp('a'), pushOp('b')] },
    });
    expect(res.json<PushReply>().seq).toBe(2);
    expect(await socket.next()).toEqual({ type: 'notify', seq: 2 });
    socket.ws.close();
  });

  it('concurrent pushes through both instances get unique seqs', async () => {
    const acc = await signUp(one);
    const pushes = Array.from({ length: 10 }, (_, i) =>
      (i % 2 === 0 ? one : two).inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: acc.auth,
        payload: { ops: [pushOp(`r${i}`)] },
      }),
    );
    const seqs = (await Promise.all(pushes)).map((r) => r.json<PushReply>().seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('healthz reports postgres', async () => {
    const res = await two.inject({ method: 'GET', url: '/healthz' });
    expect(res.json().storage).toBe('postgres');
  });
});
