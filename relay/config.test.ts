import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadSandboxSettings, parsePepper } from './config';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-cfg-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('loadConfig', () => {
  it('has safe defaults: loopback, 8787, SQLite, generated 0600 pepper', () => {
    const dir = tmp();
    const c = loadConfig({ NOOK_RELAY_DATA_DIR: dir });
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      databaseUrl: undefined,
      tls: undefined,
    });
    expect(c.limits.maxEnvelopeBytes).toBe(1024 * 1024);
    expect(c.tokens.accessTtlMs).toBe(15 * 60 * 1000);
    const file = path.join(dir, 'pepper');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(c.pepper).toHaveLength(32);
    // Stable across restarts.
    expect(loadConfig({ NOOK_RELAY_DATA_DIR: dir }).pepper).toEqual(c.pepper);
  });

  it('takes a pepper from the environment without writing a file', () => {
    const dir = tmp();
    const c = loadConfig({ NOOK_RELAY_DATA_DIR: dir, NOOK_RELAY_PEPPER: 'ab'.repeat(32) });
    expect(Buffer.from(c.pepper).toString('hex')).toBe('ab'.repeat(32));
    expect(fs.existsSync(path.join(dir, 'pepper'))).toBe(false);
  });

  it('refuses a pepper file readable by others', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'pepper'), 'cd'.repeat(32), { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'pepper'), 0o644);
    expect(() => loadConfig({ NOOK_RELAY_DATA_DIR: dir })).toThrow(/chmod 600/);
  });

  it.each([
    ['NOOK_RELAY_PORT', 'eighty'],
    ['NOOK_RELAY_PORT', '70000'],
    ['NOOK_RELAY_PEPPER', 'short'],
    ['NOOK_RELAY_DATABASE_URL', 'mysql://x'],
    ['NOOK_RELAY_LOG_LEVEL', 'loud'],
    ['NOOK_RELAY_TRUST_PROXY', 'maybe'],
    ['NOOK_RELAY_MAX_ENVELOPE_BYTES', '-5'],
    ['NOOK_RELAY_PG_CHANNEL', 'Bad-Channel'],
    ['NOOK_RELAY_HOST', 'a b'],
  ])('rejects %s=%s with an error naming the variable', (name, value) => {
    const env = { NOOK_RELAY_DATA_DIR: tmp(), [name]: value };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${name}`));
  });

  it('names a TLS file that does not exist', () => {
    expect(() =>
      loadConfig({
        NOOK_RELAY_DATA_DIR: tmp(),
        NOOK_RELAY_TLS_CERT: '/nonexistent/cert.pem',
        NOOK_RELAY_TLS_KEY: '/nonexistent/key.pem',
      }),
    ).toThrow(/^NOOK_RELAY_TLS_CERT: file not found/);
  });

  it('requires both TLS files', () => {
    const dir = tmp();
    const cert = path.join(dir, 'cert.pem');
    fs.writeFileSync(cert, 'x');
    expect(() => loadConfig({ NOOK_RELAY_DATA_DIR: dir, NOOK_RELAY_TLS_CERT: cert })).toThrow(
      /NOOK_RELAY_TLS_KEY/,
    );
  });

  it('requires the body limit to fit one envelope', () => {
    expect(() =>
      loadConfig({
        NOOK_RELAY_DATA_DIR: tmp(),
        NOOK_RELAY_BODY_LIMIT_BYTES: '100000',
        NOOK_RELAY_MAX_ENVELOPE_BYTES: '1048576',
      }),
    ).toThrow(/NOOK_RELAY_BODY_LIMIT_BYTES/);
  });

  it('parses hex and base64 peppers', () => {
    expect(parsePepper('00'.repeat(32))).toHaveLength(32);
    expect(parsePepper(Buffer.alloc(40, 7).toString('base64'))).toHaveLength(40);
  });
});

describe('loadSandboxSettings', () => {
  it('is off without an image, or with NOOK_SANDBOX=off, and says why', () => {
    expect(loadSandboxSettings({}, tmp())).toEqual({
      state: 'off',
      reason: 'NOOK_SANDBOX_IMAGE is not set',
    });
    expect(
      loadSandboxSettings({ NOOK_SANDBOX: 'off', NOOK_SANDBOX_IMAGE: 'nook-sandbox:1' }, tmp()),
    ).toEqual({ state: 'off', reason: 'NOOK_SANDBOX=off' });
  });

  it('generates a persistent 0600 account key when none is given', () => {
    const dir = tmp();
    const a = loadSandboxSettings({ NOOK_SANDBOX_IMAGE: 'nook-sandbox:1' }, dir);
    const b = loadSandboxSettings({ NOOK_SANDBOX_IMAGE: 'nook-sandbox:1' }, dir);
    const file = path.join(dir, 'sandbox-account-key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(a.state === 'on' && a.runner.accountKey).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ state: 'on', runner: { image: 'nook-sandbox:1' } });
    fs.chmodSync(file, 0o644);
    expect(() => loadSandboxSettings({ NOOK_SANDBOX_IMAGE: 'nook-sandbox:1' }, dir)).toThrow(
      /NOOK_SANDBOX_ACCOUNT_KEY: .*chmod 600/,
    );
  });

  it('takes the key, instance, runtime and idle time from the environment', () => {
    const s = loadSandboxSettings(
      {
        NOOK_SANDBOX_IMAGE: 'nook-sandbox:2',
        NOOK_SANDBOX_ACCOUNT_KEY: 'k'.repeat(40),
        NOOK_SANDBOX_INSTANCE: 'relay-2',
        NOOK_SANDBOX_RUNTIME: 'runsc',
        NOOK_SANDBOX_IDLE_MS: '5000',
      },
      tmp(),
    );
    expect(s).toEqual({
      state: 'on',
      runner: {
        image: 'nook-sandbox:2',
        accountKey: 'k'.repeat(40),
        instance: 'relay-2',
        runtime: 'runsc',
        idleMs: 5000,
      },
    });
  });

  it.each([
    ['NOOK_SANDBOX', { NOOK_SANDBOX: 'maybe' }],
    ['NOOK_SANDBOX_IMAGE', { NOOK_SANDBOX_IMAGE: 'bad tag; rm -rf' }],
    ['NOOK_SANDBOX_IDLE_MS', { NOOK_SANDBOX_IMAGE: 'i:1', NOOK_SANDBOX_IDLE_MS: '1e3' }],
    ['NOOK_SANDBOX_INSTANCE', { NOOK_SANDBOX_IMAGE: 'i:1', NOOK_SANDBOX_INSTANCE: 'A B' }],
    ['NOOK_SANDBOX_ACCOUNT_KEY', { NOOK_SANDBOX_IMAGE: 'i:1', NOOK_SANDBOX_ACCOUNT_KEY: 'short' }],
  ])('names %s when it is bad', (variable, env) => {
    let err: unknown;
    try {
      loadSandboxSettings(env, tmp());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(variable);
  });
});
