import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESOURCES,
  accountHash,
  containerCreateOptions,
  sandboxLabels,
  sandboxName,
} from './container-spec';

describe('containerCreateOptions (hardening, checked without a daemon)', () => {
  const opts = containerCreateOptions({
    name: 'n',
    image: 'nook-sandbox:test',
    volume: 'v',
    labels: { a: 'b' },
    resources: DEFAULT_RESOURCES,
  });
  const h = opts.HostConfig;

  it('has no network, a read-only root, no capabilities and no privilege gain', () => {
    expect(h.NetworkMode).toBe('none');
    expect(opts.NetworkDisabled).toBe(true);
    expect(h.ReadonlyRootfs).toBe(true);
    expect(h.CapDrop).toEqual(['ALL']);
    expect(h.SecurityOpt).toContain('no-new-privileges:true');
    expect(h.Privileged).toBe(false);
    expect(opts.User).toBe('1000:1000');
  });

  it('caps pids, memory (no swap), CPU, files, and disables core dumps', () => {
    expect(h.PidsLimit).toBeGreaterThan(0);
    expect(h.Memory).toBe(h.MemorySwap);
    expect(h.NanoCpus).toBeGreaterThan(0);
    const ulimit = (name: string) => h.Ulimits.find((u) => u.Name === name);
    expect(ulimit('core')).toMatchObject({ Soft: 0, Hard: 0 });
    expect(ulimit('nofile')?.Hard).toBe(DEFAULT_RESOURCES.nofile);
    expect(ulimit('fsize')?.Hard).toBe(DEFAULT_RESOURCES.maxFileBytes);
    expect(h.Tmpfs['/tmp']).toMatch(/size=\d+/);
  });

  it('isolates IPC and cgroups, runs an init, logs nothing, mounts only the volume', () => {
    expect(h.Init).toBe(true);
    expect(h.IpcMode).toBe('private');
    expect(h.CgroupnsMode).toBe('private');
    expect(h.LogConfig.Type).toBe('none');
    expect(h.Mounts).toEqual([{ Type: 'volume', Source: 'v', Target: '/home/sandbox' }]);
    expect(JSON.stringify(opts)).not.toContain('docker.sock');
    expect('Binds' in h).toBe(false);
  });

  it('passes no secrets in the environment', () => {
    expect(opts.Env.map((e) => e.split('=')[0]).sort()).toEqual(['HOME', 'LANG', 'PATH']);
  });

  it('uses the gVisor runtime only when configured', () => {
    expect('Runtime' in h).toBe(false);
    const g = containerCreateOptions({
      name: 'n',
      image: 'i',
      volume: 'v',
      labels: {},
      resources: DEFAULT_RESOURCES,
      runtime: 'runsc',
    });
    expect(g.HostConfig).toMatchObject({ Runtime: 'runsc' });
  });
});

describe('account naming', () => {
  it('hides the account id behind a keyed hash in names and labels', () => {
    const h1 = accountHash('alice@example.org', 'k1');
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(accountHash('alice@example.org', 'k2')).not.toBe(h1);
    const name = sandboxName('default', h1);
    expect(name).toMatch(/^nook-sbx-default-[0-9a-f]{24}$/);
    const labels = JSON.stringify(sandboxLabels('default', h1));
    expect(labels).not.toContain('alice');
    expect(labels).toContain('"nook.sandbox":"1"');
  });
});
