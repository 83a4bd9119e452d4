import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnRelay } from './spawn-relay';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-srv-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const baseEnv = (dir: string) => ({
  NOOK_RELAY_DATA_DIR: dir,
  NOOK_RELAY_PORT: '0',
  NOOK_RELAY_ARGON2_MEMORY_KIB: '64',
  NOOK_RELAY_ARGON2_ITERATIONS: '1',
});

describe('relay/server.ts (real process)', () => {
  it('listens on loopback, answers /healthz and exits 0 on SIGTERM', async () => {
    const dir = tmp();
    const relay = await spawnRelay(baseEnv(dir));
    const res = await fetch(`${relay.url}/healthz`);
    expect(await res.json()).toEqual({
      status: 'ok',
      protocolVersion: 1,
      storage: 'sqlite',
      sandbox: 'off',
    });
    relay.child.kill('SIGTERM');
    expect((await relay.exited).code).toBe(0);
    expect(relay.output()).toContain('shutting down');
    expect(relay.output()).toContain('sandbox: off (NOOK_SANDBOX_IMAGE is not set)');
    expect(fs.statSync(path.join(dir, 'pepper')).mode & 0o777).toBe(0o600);
  });

  it('runs with the sandbox off when the Docker daemon does not answer, and says so', async () => {
    const dir = tmp();
    const relay = await spawnRelay({
      ...baseEnv(dir),
      NOOK_SANDBOX_IMAGE: 'nook-sandbox:none',
      DOCKER_HOST: `unix://${path.join(dir, 'no-docker.sock')}`,
    });
    try {
      const res = await fetch(`${relay.url}/healthz`);
      expect(await res.json()).toMatchObject({ status: 'ok', sandbox: 'off' });
      expect(relay.output()).toContain('sandbox: off (the Docker daemon did not answer at start)');
      expect(fs.statSync(path.join(dir, 'sandbox-account-key')).mode & 0o777).toBe(0o600);
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
  });

  it('refuses to start on a bad variable, naming it (exit 2)', async () => {
    await expect(spawnRelay({ ...baseEnv(tmp()), NOOK_RELAY_PORT: 'http' })).rejects.toThrow(
      /exited \(2\)[\s\S]*NOOK_RELAY_PORT: expected a whole number/,
    );
  });

  it('serves HTTPS when given a certificate', async () => {
    const dir = tmp();
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const relay = await spawnRelay({
      ...baseEnv(dir),
      NOOK_RELAY_TLS_CERT: cert,
      NOOK_RELAY_TLS_KEY: key,
    });
    try {
      expect(relay.url).toMatch(/^https:/);
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(`${relay.url}/healthz`, { ca: fs.readFileSync(cert) }, (res) => {
            let b = '';
            res.on('data', (d: Buffer) => (b += d.toString()));
            res.on('end', () => resolve(b));
          })
          .on('error', reject);
      });
      expect(JSON.parse(body)).toMatchObject({ status: 'ok' });
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
  });

  it('logs requests without bodies, tokens or client addresses', async () => {
    const dir = tmp();
    const relay = await spawnRelay(baseEnv(dir));
    try {
      const authKey = randomBytes(32).toString('base64');
      await fetch(`${relay.url}/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer nka_canary' },
        body: JSON.stringify({
          accountId: 'a'.repeat(32),
          authKey,
          device: { id: 'b'.repeat(32), name: 'x' },
        }),
      });
      relay.child.kill('SIGTERM');
      await relay.exited;
      const log = relay.output();
      expect(log).toContain('/v1/login');
      expect(log).not.toContain(authKey);
      expect(log).not.toContain('nka_canary');
      expect(log).not.toContain('remoteAddress');
    } finally {
      relay.child.kill('SIGTERM');
    }
  });
});
