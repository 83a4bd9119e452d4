import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  docker,
  nameOf,
  removeInstance,
  runCollect,
  testInstance,
  testRunner,
} from './integration-helpers';
import type { SandboxRunner } from './runner';

const image = inject('sandboxImage');
const instance = testInstance();
const enc = (s: string) => new TextEncoder().encode(s);
let runner: SandboxRunner;

beforeAll(() => {
  runner = testRunner(image, instance, { idleMs: 0 });
});
afterAll(async () => {
  await runner.close();
  removeInstance(instance);
});

const containerId = (account: string) =>
  docker('ps', '-aq', '--no-trunc', '--filter', `name=^${nameOf(instance, account)}$`);
const volumeExists = (account: string) =>
  docker('volume', 'ls', '-q', '--filter', `name=^${nameOf(instance, account)}$`) !== '';

describe('sandbox lifecycle (real Docker)', () => {
  it('first use creates a hardened container + volume; the next run reuses it warm', async () => {
    expect((await runner.status('alice')).state).toBe('absent');
    const first = await runCollect(runner, 'alice', { language: 'python', code: 'print(6*7)' });
    expect(first).toMatchObject({ exitCode: 0, stdout: '42\n', timedOut: false });
    const id = containerId('alice');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(volumeExists('alice')).toBe(true);
    const hc = JSON.parse(docker('inspect', '-f', '{{json .HostConfig}}', id));
    expect(hc).toMatchObject({
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      Init: true,
      IpcMode: 'private',
      CgroupnsMode: 'private',
      LogConfig: { Type: 'none' },
    });
    expect(hc.Memory).toBe(hc.MemorySwap);
    expect(hc.SecurityOpt).toContain('no-new-privileges:true');
    expect(docker('inspect', '-f', '{{.Config.User}}', id)).toBe('1000:1000');

    const second = await runCollect(runner, 'alice', {
      language: 'javascript',
      code: 'console.log([1,2,3].map(x => x * 2).join(","))',
    });
    expect(second).toMatchObject({ exitCode: 0, stdout: '2,4,6\n' });
    expect(containerId('alice')).toBe(id);
    expect(await runner.status('alice')).toMatchObject({ state: 'running' });
  });

  it('idle sandboxes stop, keep their files, and resume on the next run', async () => {
    await runner.upload('alice', 'notes/keep.txt', enc('still here'));
    expect(await runner.stopIdle()).toBeGreaterThanOrEqual(1);
    expect((await runner.status('alice')).state).toBe('stopped');
    expect(docker('inspect', '-f', '{{.State.Running}}', containerId('alice'))).toBe('false');
    // Downloads read a stopped sandbox's volume without starting it.
    const kept = await runner.download('alice', 'notes/keep.txt');
    expect(new TextDecoder().decode(kept)).toBe('still here');
    expect((await runner.status('alice')).state).toBe('stopped');
    const r = await runCollect(runner, 'alice', { language: 'shell', code: 'cat notes/keep.txt' });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'still here' });
    expect((await runner.status('alice')).state).toBe('running');
  });

  it('reset gives a fresh, empty sandbox', async () => {
    const before = containerId('alice');
    await runner.reset('alice');
    expect(containerId('alice')).toBe('');
    expect(volumeExists('alice')).toBe(false);
    expect((await runner.status('alice')).state).toBe('absent');
    const r = await runCollect(runner, 'alice', { language: 'shell', code: 'ls -A | wc -l' });
    expect(r.stdout.trim()).toBe('0');
    expect(containerId('alice')).not.toBe(before);
  });

  it('removeAccount leaves neither container nor volume', async () => {
    await runner.upload('bob', 'x.txt', enc('bye'));
    expect(containerId('bob')).not.toBe('');
    await runner.removeAccount('bob');
    expect(containerId('bob')).toBe('');
    expect(volumeExists('bob')).toBe(false);
    expect(docker('ps', '-aq', '--filter', `name=${nameOf(instance, 'bob')}`)).toBe('');
  });

  it('reconcile finds sandboxes by label and replaces containers of an outdated image', async () => {
    await runner.upload('carol', 'data.txt', enc('survives'));
    const fresh = testRunner(image, instance, { idleMs: 0 });
    const found = await fresh.reconcile();
    expect(found.containers).toBeGreaterThanOrEqual(2); // alice and carol
    expect(found.volumes).toBeGreaterThanOrEqual(2);
    expect(found.removed).toBe(0);
    // The relay restarted: found-running sandboxes still idle out.
    expect(await fresh.stopIdle()).toBeGreaterThanOrEqual(1);
    await fresh.close();

    // A new image tag = a new recipe: old containers go, volumes (files) stay.
    const altTag = `${image.split(':')[0]}:it-alt-${instance}`;
    docker('tag', image, altTag);
    try {
      const upgraded = testRunner(altTag, instance);
      const report = await upgraded.reconcile();
      expect(report.removed).toBeGreaterThanOrEqual(2);
      expect(containerId('carol')).toBe('');
      const r = await runCollect(upgraded, 'carol', { language: 'shell', code: 'cat data.txt' });
      expect(r.stdout).toBe('survives');
      await upgraded.removeAccount('carol');
      await upgraded.close();
    } finally {
      docker('rmi', altTag);
    }
  });

  it('the docker exec fallback runs code and kills what the run leaves behind', async () => {
    const viaExec = testRunner(image, instance, { transport: 'exec' });
    try {
      const r = await runCollect(viaExec, 'dave', {
        language: 'python',
        code: 'import subprocess; subprocess.Popen(["sleep", "300"]); print("spawned")',
      });
      expect(r).toMatchObject({ exitCode: 0, stdout: 'spawned\n' });
      const ps = await runCollect(viaExec, 'dave', {
        language: 'shell',
        code: 'cat /proc/[0-9]*/cmdline 2>/dev/null | tr "\\0" " "',
      });
      expect(ps.stdout).not.toContain('sleep 300');
      const t = await runCollect(viaExec, 'dave', {
        language: 'shell',
        code: 'sleep 30',
        timeoutMs: 500,
      });
      expect(t).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    } finally {
      await viaExec.removeAccount('dave');
      await viaExec.close();
    }
  });

  it('a run that kills the supervisor ends as killed, and the next run works', async () => {
    const r = await runCollect(runner, 'erin', { language: 'shell', code: 'kill -9 -1' });
    expect(r.exitCode).toBeNull();
    expect(r.signal).toBe('SIGKILL');
    const next = await runCollect(runner, 'erin', { language: 'shell', code: 'echo back' });
    expect(next).toMatchObject({ exitCode: 0, stdout: 'back\n' });
  });
});
