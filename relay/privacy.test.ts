/**
 * Privacy canaries: the authKey, the pepper, bearer tokens and client IPs must never appear
 * in the SQLite file, its WAL, or the logs — even at trace level and on error paths.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { kdf, makeApp, pushOp, randomId } from './test-helpers';

function forms(bytes: Uint8Array): Buffer[] {
  const b = Buffer.from(bytes);
  return [
    b,
    Buffer.from(b.toString('hex')),
    Buffer.from(b.toString('base64')),
    Buffer.from(b.toString('base64url')),
  ];
}

describe('privacy canaries', () => {
  it('authKey, pepper, tokens and IPs never reach the database files or the logs', async () => {
    let log = '';
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    const pepper = new Uint8Array(randomBytes(32));
    const { app, config, cleanup } = await makeApp(
      { pepper, logLevel: 'trace' },
      { logStream: stream },
    );
    const dbFile = path.join(config.dataDir, 'relay.sqlite');
    const ip = '127.0.0.77';
    try {
      const authKeyBytes = new Uint8Array(randomBytes(32));
      const authKey = Buffer.from(authKeyBytes).toString('base64');
      const accountId = randomId();
      const deviceId = randomId();
      const inject = (o: InjectOptions) => app.inject({ remoteAddress: ip, ...o });
      await inject({
        method: 'POST',
        url: '/v1/accounts',
        payload: {
          accountId,
          authKey,
          kdf,
          salt: randomBytes(16).toString('base64'),
          wrappedAccountKey: 'AAAA',
        },
      });
      const res = await inject({
        method: 'POST',
        url: '/v1/login',
        payload: { accountId, authKey, device: { id: deviceId, name: 'Laptop' } },
      });
      const { accessToken, refreshToken } = res.json().session as {
        accessToken: string;
        refreshToken: string;
      };
      const auth = { authorization: `Bearer ${accessToken}` };
      // Error paths too: wrong key, malformed JSON carrying the key, a bad token.
      await inject({
        method: 'POST',
        url: '/v1/login',
        payload: {
          accountId,
          authKey: randomBytes(32).toString('base64'),
          device: { id: deviceId, name: 'x' },
        },
      });
      await inject({
        method: 'POST',
        url: '/v1/login',
        headers: { 'content-type': 'application/json' },
        payload: `{"accountId":"${accountId}","authKey":"${authKey}",`,
      });
      await inject({ method: 'POST', url: '/v1/login', payload: { accountId, authKey, extra: 1 } });
      await inject({
        method: 'GET',
        url: '/v1/devices',
        headers: { authorization: `Bearer ${refreshToken}` },
      });
      const op = pushOp('r1');
      await inject({ method: 'POST', url: '/v1/sync/push', headers: auth, payload: { ops: [op] } });
      await inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken } });
      await inject({ method: 'POST', url: '/v1/token/refresh', payload: { refreshToken } }); // reuse
      await inject({
        method: 'POST',
        url: '/v1/account/passphrase',
        headers: auth,
        payload: {
          currentAuthKey: authKey,
          newAuthKey: authKey,
          kdf,
          salt: 'AAAAAAAAAAAAAAAAAAAAAA==',
          wrappedAccountKey: 'AAAA',
        },
      });

      const canaries: [string, Buffer[]][] = [
        ['authKey', forms(authKeyBytes)],
        ['pepper', forms(pepper)],
        ['access token', [Buffer.from(accessToken)]],
        ['refresh token', [Buffer.from(refreshToken)]],
        ['client IP', [Buffer.from(ip)]],
      ];
      const files = [dbFile, `${dbFile}-wal`].filter((f) => fs.existsSync(f));
      expect(files).toContain(`${dbFile}-wal`);
      const check = (where: string, data: Buffer) => {
        for (const [name, needles] of canaries) {
          for (const n of needles) expect(data.indexOf(n), `${name} found in ${where}`).toBe(-1);
        }
      };
      for (const f of files) check(path.basename(f), fs.readFileSync(f));
      expect(log).toContain('/v1/login'); // the capture works
      check('logs', Buffer.from(log));
      // Positive control: the same search does find what *is* stored (the opaque envelope).
      const stored = Buffer.concat(files.map((f) => fs.readFileSync(f)));
      expect(stored.indexOf(Buffer.from(op.envelope, 'base64'))).toBeGreaterThan(-1);
      await app.close();
      check('database after close', fs.readFileSync(dbFile));
    } finally {
      await cleanup();
    }
  });
});
