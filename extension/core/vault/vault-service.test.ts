import { describe, expect, it, vi } from 'vitest';
import { KDF_FLOOR } from '../../../shared/crypto';
import { createMemoryMetaStore } from '../../adapters/db/meta-store';
import { createMemoryRepos } from '../../adapters/db/repos';
import { createMemoryKvArea } from '../../adapters/vault/kv-area';
import { createSessionKeyStore } from '../../adapters/vault/session-key-store';
import type { Conversation } from '../models';
import { VaultError } from './vault-errors';
import { createVaultService, type VaultService } from './vault-service';

const PASS = 'correct horse battery staple';
const PASS2 = 'a completely different sentence';
const PASS3 = 'recovered and renewed passphrase';

/** One device: shared meta + storage.session; `page()` opens another extension page. */
function device() {
  const meta = createMemoryMetaStore();
  const area = createMemoryKvArea();
  const clock = { t: 1_700_000_000_000, now: () => clock.t };
  const page = (autoLockMinutes = 15) =>
    createVaultService({
      meta,
      session: createSessionKeyStore(area),
      clock,
      kdf: KDF_FLOOR, // production calibrates; tests keep Argon2id at the floor
      loadAutoLockMinutes: async () => autoLockMinutes,
    });
  return { meta, area, clock, page };
}

async function createdAndConfirmed(d: ReturnType<typeof device>) {
  const svc = d.page();
  await svc.init();
  const kit = await svc.create(PASS, PASS);
  await svc.confirmKit();
  return { svc, kit };
}

function conversation(id: string): Conversation {
  return { id, title: `Secret plans ${id}`, createdAt: 1, updatedAt: 1 };
}

/** Encrypted repositories over in-memory tables, reading keys from `svc`. */
function reposFor(svc: VaultService) {
  return createMemoryRepos(() => svc.getVault()).repos;
}

describe('vault service', () => {
  it('refuses a short passphrase with the reason, before deriving any key', async () => {
    const svc = device().page();
    await svc.init();
    await expect(svc.create('abcd', 'abcd')).rejects.toThrow('Use at least 8 characters.');
    await expect(svc.create('', '')).rejects.toBeInstanceOf(VaultError);
    await expect(svc.create(PASS, `${PASS}!`)).rejects.toThrow("don't match");
    expect(svc.getState().status).toBe('uninitialized');
  });

  it('creates a vault, holds keys only in memory until the kit is confirmed, then shares them via the session', async () => {
    const d = device();
    const svc = d.page();
    expect((await svc.init()).status).toBe('uninitialized');
    const kit = await svc.create(PASS, PASS);
    expect(kit.secretKey).toMatch(/^NK1-/);
    expect(kit.recoveryKey).toMatch(/^NKR-/);
    expect(svc.getState()).toMatchObject({ status: 'kit-pending', reason: 'created' });
    expect(d.area.dump()).toEqual({});
    await svc.confirmKit();
    expect(svc.getState().status).toBe('unlocked');
    const session = d.area.dump()['nook.keys'] as Record<string, unknown>;
    expect(Object.keys(session).sort()).toEqual(['ak', 'autoLockMinutes', 'vaultId']);
    // meta holds the header, the Secret Key and counters — never the Recovery Key or passphrase.
    const metaJson = JSON.stringify(d.meta.snapshot());
    expect(metaJson).not.toContain(kit.recoveryKey);
    expect(metaJson).not.toContain(PASS);
    expect(d.meta.snapshot().kitPending).toBe(false);
  });

  it('locks every page at once and unlocks them together (storage.session is shared)', async () => {
    const d = device();
    const { svc } = await createdAndConfirmed(d);
    const options = d.page();
    expect((await options.init()).status).toBe('unlocked'); // no second passphrase prompt
    const repos = reposFor(svc);
    await repos.conversations.put('c1', conversation('c1'));

    await options.lock();
    await vi.waitFor(() => expect(svc.getState().status).toBe('locked'));
    expect(() => svc.getVault()).toThrow(VaultError);
    await expect(repos.conversations.get('c1')).rejects.toMatchObject({ code: 'locked' });

    expect(await svc.unlock(PASS)).toEqual({ ok: true });
    // The other page rebuilds its keys from the session AK (WebCrypto, truly asynchronous).
    await vi.waitFor(() => expect(options.getState().status).toBe('unlocked'));
    expect((await repos.conversations.get('c1')).title).toBe('Secret plans c1');
  });

  it('attack: wrong passphrases get one generic message and a growing, persisted delay', async () => {
    const d = device();
    const { svc } = await createdAndConfirmed(d);
    await svc.lock();
    for (let i = 0; i < 3; i++) {
      expect(await svc.unlock(`wrong guess ${i}`)).toMatchObject({
        ok: false,
        reason: 'wrong-passphrase',
        message: 'Wrong passphrase.',
        retryAt: 0,
      });
    }
    const fourth = await svc.unlock('wrong guess 3');
    expect(fourth).toMatchObject({
      ok: false,
      reason: 'wrong-passphrase',
      retryAt: d.clock.t + 1000,
    });
    // Even the right passphrase waits, and reloading the page does not reset the counter.
    expect(await svc.unlock(PASS)).toMatchObject({ ok: false, reason: 'throttled' });
    const reloaded = d.page();
    expect(await reloaded.init()).toMatchObject({
      status: 'locked',
      failures: 4,
      retryAt: d.clock.t + 1000,
    });
    d.clock.t += 1000;
    expect(await reloaded.unlock('wrong guess 4')).toMatchObject({ retryAt: d.clock.t + 2000 });
    d.clock.t += 2000;
    expect(await reloaded.unlock(PASS)).toEqual({ ok: true });
    expect(d.meta.snapshot().throttle).toEqual({ failures: 0, lastFailureAt: 0 });
  });

  it('closing the panel before confirming the kit issues a new Recovery Key after the next unlock', async () => {
    const d = device();
    const first = d.page();
    await first.init();
    const oldKit = await first.create(PASS, PASS);
    first.dispose(); // the panel closed: the kit was never confirmed

    const next = d.page();
    expect((await next.init()).status).toBe('locked');
    expect(await next.unlock(PASS)).toEqual({ ok: true });
    const state = next.getState();
    if (state.status !== 'kit-pending')
      throw new Error(`expected kit-pending, got ${state.status}`);
    expect(state.reason).toBe('rotated');
    expect(state.kit.secretKey).toBe(oldKit.secretKey);
    expect(state.kit.recoveryKey).not.toBe(oldKit.recoveryKey);
    await next.confirmKit();
    await next.lock();
    // The unconfirmed (possibly lost) Recovery Key no longer opens the vault.
    expect(await next.recover(oldKit.recoveryKey, PASS3, PASS3)).toMatchObject({
      ok: false,
      reason: 'bad-recovery-key',
    });
  });

  it('changes the passphrase: the wrong current one is refused, the old one stops working, data stays readable', async () => {
    const d = device();
    const { svc } = await createdAndConfirmed(d);
    const repos = reposFor(svc);
    await repos.conversations.put('c1', conversation('c1'));

    expect(await svc.changePassphrase('not the passphrase', PASS2, PASS2)).toMatchObject({
      ok: false,
      message: 'Wrong passphrase.',
    });
    await expect(svc.changePassphrase(PASS, 'short', 'short')).rejects.toThrow('at least 8');
    expect(await svc.changePassphrase(PASS, PASS2, PASS2)).toEqual({ ok: true });
    expect((await repos.conversations.get('c1')).title).toBe('Secret plans c1');

    await svc.lock();
    expect(await svc.unlock(PASS)).toMatchObject({ ok: false, reason: 'wrong-passphrase' });
    expect(await svc.unlock(PASS2)).toEqual({ ok: true });
    expect((await repos.conversations.get('c1')).title).toBe('Secret plans c1');
  });

  it('recovers a forgotten passphrase with the Recovery Key and shows a new kit', async () => {
    const d = device();
    const { svc, kit } = await createdAndConfirmed(d);
    const repos = reposFor(svc);
    await repos.conversations.put('c1', conversation('c1'));
    await svc.lock();

    expect(await svc.recover('NKR-NOT-THE-KEY', PASS3, PASS3)).toEqual({
      ok: false,
      reason: 'bad-recovery-key',
      message: expect.stringContaining("doesn't match"),
    });
    expect(await svc.recover(`  ${kit.recoveryKey} `, PASS3, PASS3)).toEqual({ ok: true });
    const state = svc.getState();
    if (state.status !== 'kit-pending')
      throw new Error(`expected kit-pending, got ${state.status}`);
    expect(state.reason).toBe('recovered');
    expect(state.kit.recoveryKey).not.toBe(kit.recoveryKey);
    await svc.confirmKit();
    expect((await repos.conversations.get('c1')).title).toBe('Secret plans c1');

    await svc.lock();
    expect(await svc.unlock(PASS)).toMatchObject({ ok: false });
    expect(await svc.unlock(PASS3)).toEqual({ ok: true });
    await svc.lock();
    expect(await svc.recover(kit.recoveryKey, PASS2, PASS2)).toMatchObject({
      ok: false,
      reason: 'bad-recovery-key',
    });
  });

  it('copies the auto-lock minutes into the session at unlock and when they change', async () => {
    const d = device();
    const svc = d.page(5);
    await svc.init();
    await svc.create(PASS, PASS);
    await svc.confirmKit();
    expect(d.area.dump()['nook.keys']).toMatchObject({ autoLockMinutes: 5 });
    expect(d.area.dump()['nook.lastActivity']).toBe(d.clock.t);
    await svc.setAutoLockMinutes(30);
    expect(d.area.dump()['nook.keys']).toMatchObject({ autoLockMinutes: 30 });
    d.clock.t += 60_000;
    await svc.reportActivity();
    expect(d.area.dump()['nook.lastActivity']).toBe(d.clock.t);
  });

  it('refuses steps that do not fit the current state', async () => {
    const d = device();
    const { svc } = await createdAndConfirmed(d);
    await expect(svc.create(PASS, PASS)).rejects.toMatchObject({ code: 'bad-state' });
    await expect(svc.unlock(PASS)).rejects.toMatchObject({ code: 'bad-state' });
    await expect(svc.confirmKit()).rejects.toMatchObject({ code: 'bad-state' });
  });
});

describe('vault service across windows', () => {
  it('attack on the user: a kit made stale by another window cannot be confirmed', async () => {
    const d = device();
    const panel = d.page();
    await panel.init();
    await panel.create(PASS, PASS);
    panel.dispose();
    const reopened = d.page();
    await reopened.init();
    await reopened.unlock(PASS); // shows kit A (rotated)
    const options = d.page();
    await options.init();
    await options.unlock(PASS); // rotates again: kit B; kit A is dead
    await expect(reopened.confirmKit()).rejects.toMatchObject({ code: 'kit-outdated' });
    expect(reopened.getState().status).toBe('locked');
    await options.confirmKit();
    expect(options.getState().status).toBe('unlocked');
  });

  it('reports storage that cannot be read as a failed state instead of hanging', async () => {
    const svc = createVaultService({
      meta: {
        get: () => Promise.reject(new Error('IndexedDB is broken')),
        set: () => Promise.reject(new Error('IndexedDB is broken')),
      },
      session: createSessionKeyStore(createMemoryKvArea()),
      kdf: KDF_FLOOR,
    });
    expect(await svc.init()).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('could not open'),
    });
  });
});

describe('vault service, first run in two windows', () => {
  it('never overwrites a vault another window created meanwhile', async () => {
    const d = device();
    const panel = d.page();
    const options = d.page();
    await panel.init();
    await options.init();
    const kit = await panel.create(PASS, PASS);
    await expect(options.create(PASS2, PASS2)).rejects.toMatchObject({
      code: 'already-initialized',
    });
    expect(options.getState().status).toBe('locked');
    expect(d.meta.snapshot().secretKey).toBe(kit.secretKey);
    await panel.confirmKit();
    await vi.waitFor(() => expect(options.getState().status).toBe('unlocked'));
  });
});

describe('vault service and idle time', () => {
  it('a page opened after the idle limit locks at once, even if the background has not run yet', async () => {
    const d = device();
    await createdAndConfirmed(d); // auto-lock 15 minutes
    d.clock.t += 16 * 60_000;
    const late = d.page();
    expect((await late.init()).status).toBe('locked');
    expect(d.area.dump()).toEqual({});
  });

  it('a page opened within the idle limit reuses the session', async () => {
    const d = device();
    await createdAndConfirmed(d);
    d.clock.t += 14 * 60_000;
    expect((await d.page().init()).status).toBe('unlocked');
  });
});
