import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteAccount, login, makeApp, pushOp, signUp, type TestAccount } from '../test-helpers';
import { openAuthed, openSocket } from '../ws-test-client';

describe('GET /v1/ws', () => {
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  let url: string;
  beforeAll(async () => {
    ({ app, cleanup } = await makeApp({ wsAuthTimeoutMs: 300 }));
    const addr = await app.listen({ host: '127.0.0.1', port: 0 });
    url = `${addr.replace('http', 'ws')}/v1/ws`;
  });
  afterAll(() => cleanup());

  const push = (acc: { auth: { authorization: string } }, ids: string[]) =>
    app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: acc.auth,
      payload: { ops: ids.map((id) => pushOp(id)) },
    });

  it('authenticates with the first frame, then announces new seqs from other devices', async () => {
    const acc = await signUp(app);
    const s = await openAuthed(url, acc.accessToken);
    expect(s.hello).toEqual({ type: 'hello', protocolVersion: 1, seq: 0 });
    const phone = await login(app, acc.accountId, acc.authKey);
    await push(phone, ['a', 'b']);
    expect(await s.next()).toEqual({ type: 'notify', seq: 2 });
    s.send({ type: 'ping' });
    expect(await s.next()).toEqual({ type: 'pong' });
    s.ws.close();
  });

  it('hello carries the current seq, so nothing pushed before connecting is missed', async () => {
    const acc = await signUp(app);
    await push(acc, ['a', 'b', 'c']);
    const s = await openAuthed(url, acc.accessToken);
    expect(s.hello).toMatchObject({ seq: 3 });
    s.ws.close();
  });

  it("attack: a socket never hears about another account's changes", async () => {
    const alice = await signUp(app);
    const bob = await signUp(app);
    const s = await openAuthed(url, bob.accessToken);
    await push(alice, ['a', 'b', 'c']);
    await push(bob, ['x']);
    expect(await s.next()).toEqual({ type: 'notify', seq: 1 });
    s.ws.close();
  });

  it('closes with 4401 when no auth frame arrives in time', async () => {
    const s = await openSocket(url);
    expect((await s.closed).code).toBe(4401);
  });

  it.each([
    ['a forged token', { type: 'auth', token: 'nka_' + 'A'.repeat(43) }],
    ['a refresh token', 'refresh'],
    ['not JSON', 'hello there'],
    ['a ping before auth', { type: 'ping' }],
    ['a token that is too long', { type: 'auth', token: 'x'.repeat(5000) }],
  ])('closes with 4401 on %s', async (_n, frame) => {
    const acc: TestAccount = await signUp(app);
    const s = await openSocket(url);
    s.send(frame === 'refresh' ? { type: 'auth', token: acc.refreshToken } : frame);
    const { code } = await s.closed;
    // Oversize frames are cut by the ws payload limit (1009) before they reach the handler.
    expect(_n === 'a token that is too long' ? [4401, 1009] : [4401]).toContain(code);
  });

  it('closes with 4400 on an unknown message after auth', async () => {
    const acc = await signUp(app);
    const s = await openAuthed(url, acc.accessToken);
    s.send({ type: 'push', ops: [] });
    expect((await s.closed).code).toBe(4400);
  });

  it('revoking the device closes its socket (4401); deleting the account closes with 4410', async () => {
    const acc = await signUp(app);
    const phone = await login(app, acc.accountId, acc.authKey);
    const phoneSocket = await openAuthed(url, phone.accessToken);
    const mySocket = await openAuthed(url, acc.accessToken);
    await app.inject({ method: 'DELETE', url: `/v1/devices/${phone.deviceId}`, headers: acc.auth });
    expect((await phoneSocket.closed).code).toBe(4401);
    await deleteAccount(app, acc);
    expect((await mySocket.closed).code).toBe(4410);
  });

  it('logout closes the sockets of that session', async () => {
    const acc = await signUp(app);
    const s = await openAuthed(url, acc.accessToken);
    await app.inject({ method: 'POST', url: '/v1/logout', headers: acc.auth });
    expect((await s.closed).code).toBe(4401);
  });
});

describe('WebSocket shutdown', () => {
  it('closes open sockets with 1001 when the app closes', async () => {
    const { app, cleanup } = await makeApp();
    const addr = await app.listen({ host: '127.0.0.1', port: 0 });
    const acc = await signUp(app);
    const s = await openAuthed(`${addr.replace('http', 'ws')}/v1/ws`, acc.accessToken);
    const waiting = await openSocket(`${addr.replace('http', 'ws')}/v1/ws`); // no auth frame yet
    await cleanup();
    expect((await s.closed).code).toBe(1001);
    expect((await waiting.closed).code).toBe(1001);
  });
});
