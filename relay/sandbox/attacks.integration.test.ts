import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SandboxBusyError } from './errors';
import { removeInstance, runCollect, testInstance, testRunner } from './integration-helpers';
import type { SandboxRunner } from './runner';

const image = inject('sandboxImage');
const instance = testInstance();
const MiB = 1024 * 1024;
let runner: SandboxRunner;

beforeAll(async () => {
  runner = testRunner(image, instance, {
    limits: {
      outputCapBytes: 64 * 1024,
      workspaceQuotaBytes: 48 * MiB,
      queueLength: 2,
      maxConcurrentRuns: 4,
    },
    resources: { memoryBytes: 192 * MiB, tmpBytes: 8 * MiB, maxFileBytes: 24 * MiB, pidsLimit: 64 },
  });
  await runner.ensure('mallory');
});
afterAll(async () => {
  await runner.close();
  removeInstance(instance);
});

/** The process command lines visible in the sandbox, excluding the listing itself. */
const PS = 'for p in /proc/[0-9]*; do tr "\\0" " " < $p/cmdline 2>/dev/null; echo; done';

describe('attacks on the sandbox (real Docker)', () => {
  it('fork bomb: contained by the pids limit and killed at the deadline', async () => {
    const r = await runCollect(runner, 'mallory', {
      language: 'shell',
      code: 'bomb() { bomb | bomb & }; bomb; sleep 2; echo still-responsive',
      timeoutMs: 10_000,
    });
    // The pids limit makes forks fail, and the run itself is not starved out.
    expect(r.stderr).toContain('Cannot fork');
    expect(r.timedOut).toBe(false);
    // Nothing of the bomb survives the run, and the sandbox still works.
    const after = await runCollect(runner, 'mallory', { language: 'shell', code: PS });
    expect(after.exitCode).toBe(0);
    expect(after.stdout).not.toContain('bomb');
    const lines = after.stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeLessThan(10);
  });

  it('memory bomb: OOM-killed and reported as oomKilled; the sandbox survives', async () => {
    const r = await runCollect(runner, 'mallory', {
      language: 'python',
      code: 'a = []\nwhile True:\n    a.append(b"x" * (16 << 20))',
      timeoutMs: 20_000,
    });
    expect(r).toMatchObject({ oomKilled: true, signal: 'SIGKILL', timedOut: false });
    // The same from a grandchild (shell → node): the shell sees 137, the run is still OOM.
    const js = await runCollect(runner, 'mallory', {
      language: 'shell',
      code: `node -e 'const a = []; for (;;) a.push(Buffer.alloc(16 << 20, 1))'`,
      timeoutMs: 20_000,
    });
    expect(js).toMatchObject({ oomKilled: true, exitCode: 137, timedOut: false });
    const ok = await runCollect(runner, 'mallory', { language: 'shell', code: 'echo alive' });
    expect(ok.stdout).toBe('alive\n');
  });

  it("the supervisor's memory watchdog kills a run past its limit even below the cgroup limit", async () => {
    // 64 MiB per run inside a 256 MiB container: the kernel would allow it, the watchdog not.
    const watched = testRunner(image, instance, { limits: { runMemoryBytes: 64 << 20 } });
    try {
      const r = await runCollect(watched, 'walter', {
        language: 'python',
        code: 'a = []\nfor i in range(10):\n    a.append(b"x" * (16 << 20))\nprint("survived")',
      });
      expect(r).toMatchObject({ oomKilled: true, signal: 'SIGKILL', timedOut: false });
      expect(r.stdout).not.toContain('survived');
      const ok = await runCollect(watched, 'walter', { language: 'shell', code: 'echo alive' });
      expect(ok.stdout).toBe('alive\n');
    } finally {
      await watched.removeAccount('walter');
      await watched.close();
    }
  });

  it('filling /tmp stops at the tmpfs size', async () => {
    const r = await runCollect(runner, 'mallory', {
      language: 'shell',
      code: 'dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>&1; du -k /tmp/fill; rm -f /tmp/fill',
    });
    expect(r.stdout).toContain('No space left on device');
    const kb = Number(r.stdout.trim().split('\n').pop()?.split(/\s+/)[0]);
    expect(kb).toBeLessThanOrEqual(8 * 1024);
  });

  it('filling the workspace: one file stops at RLIMIT_FSIZE, many files trip the quota', async () => {
    const big = await runCollect(runner, 'mallory', {
      language: 'python',
      code: 'f = open("big", "wb")\nfor i in range(40):\n    f.write(b"x" * (1 << 20))',
    });
    expect(big.exitCode).not.toBe(0);
    expect(big.stderr).toContain('File too large');

    const many = await runCollect(runner, 'mallory', {
      language: 'python',
      code: 'for i in range(4):\n    open(f"f{i}", "wb").write(b"y" * (20 << 20))',
    });
    expect(many.quotaExceeded).toBe(true);
    // Over quota: further runs and uploads are refused until files are deleted.
    await expect(runner.run('mallory', { language: 'shell', code: 'true' })).rejects.toMatchObject({
      code: 'quota-exceeded',
    });
    await expect(runner.upload('mallory', 'more', new Uint8Array(10))).rejects.toMatchObject({
      code: 'quota-exceeded',
    });
    for (const f of ['big', 'f0', 'f1', 'f2', 'f3']) {
      await runner.deleteFile('mallory', f).catch(() => undefined);
    }
    const ok = await runCollect(runner, 'mallory', { language: 'shell', code: 'echo freed' });
    expect(ok).toMatchObject({ exitCode: 0, quotaExceeded: false });
  });

  it('writing to the root filesystem fails (read-only root, non-root user)', async () => {
    const r = await runCollect(runner, 'mallory', {
      language: 'shell',
      code: 'for p in /usr/x /etc/x /opt/nook/x /x; do touch $p 2>&1; done; id -u',
    });
    expect(r.stdout.match(/Read-only file system/g)?.length).toBe(4);
    expect(r.stdout.trim().split('\n').pop()).toBe('1000');
  });

  it('endless output is truncated at the cap and the run killed', async () => {
    const r = await runCollect(runner, 'mallory', { language: 'shell', code: 'yes' });
    expect(r.outputTruncated).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(64 * 1024);
    expect(r.stdout.startsWith('y\ny\n')).toBe(true);
  });

  it('a CPU spin past the deadline is timed out and killed', async () => {
    const r = await runCollect(runner, 'mallory', {
      language: 'python',
      code: 'while True:\n    pass',
      timeoutMs: 1000,
    });
    expect(r).toMatchObject({ timedOut: true, signal: 'SIGKILL', exitCode: null });
    // Overshoot is measured by the benchmark, not asserted here.
    expect(r.durationMs).toBeGreaterThanOrEqual(1000);
  });

  it('a run blocked on stdin ends at once (stdin is closed), not at the deadline', async () => {
    const py = await runCollect(runner, 'mallory', {
      language: 'python',
      code: 'print(input())',
      timeoutMs: 15_000,
    });
    expect(py.timedOut).toBe(false);
    expect(py.stderr).toContain('EOFError');
    const sh = await runCollect(runner, 'mallory', { language: 'shell', code: 'cat; echo done' });
    expect(sh).toMatchObject({ timedOut: false, exitCode: 0, stdout: 'done\n' });
  });

  it('outbound network and DNS fail; only loopback exists', async () => {
    const r = await runCollect(runner, 'mallory', {
      language: 'python',
      code: [
        'import socket, os',
        'for host, port in [("1.1.1.1", 53), ("8.8.8.8", 443), ("10.0.0.1", 80)]:',
        '    try:',
        '        socket.create_connection((host, port), timeout=2); print("CONNECTED")',
        '    except OSError as e:',
        '        print("blocked", e.errno)',
        'try:',
        '    socket.getaddrinfo("example.com", 443); print("RESOLVED")',
        'except OSError:',
        '    print("dns-failed")',
        'print(sorted(os.listdir("/sys/class/net")))',
      ].join('\n'),
    });
    expect(r.stdout).not.toContain('CONNECTED');
    expect(r.stdout).not.toContain('RESOLVED');
    expect(r.stdout.match(/blocked/g)?.length).toBe(3);
    expect(r.stdout).toContain('dns-failed');
    expect(r.stdout).toContain("['lo']");
  });

  it('no Docker socket, no host files, no capabilities, root-only files unreadable', async () => {
    const r = await runCollect(runner, 'mallory', {
      language: 'shell',
      code: [
        'for p in /var/run/docker.sock /run/docker.sock /work /root/.ssh /etc/docker; do',
        '  [ -e $p ] && echo "VISIBLE $p"; done',
        'cat /etc/shadow >/dev/null 2>&1 || echo shadow-denied',
        'grep CapEff /proc/self/status',
        'grep NoNewPrivs /proc/self/status',
        'env | cut -d= -f1 | sort | tr "\\n" " "',
      ].join('\n'),
    });
    expect(r.stdout).not.toContain('VISIBLE');
    expect(r.stdout).toContain('shadow-denied');
    expect(r.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(r.stdout).toMatch(/NoNewPrivs:\s+1/);
    expect(r.stdout).not.toMatch(/KEY|TOKEN|SECRET|PASSWORD|DOCKER/);
  });

  it("account A cannot read account B's files", async () => {
    await runCollect(runner, 'victim', {
      language: 'shell',
      code: 'echo top-secret > secret.txt',
    });
    const peek = await runCollect(runner, 'mallory', {
      language: 'shell',
      code: 'ls -A /home; ls /home/sandbox; cat /home/*/secret.txt 2>&1; find / -name secret.txt 2>/dev/null',
    });
    expect(peek.stdout).not.toContain('top-secret');
    expect(peek.stdout).not.toContain('secret.txt\n');
    await expect(runner.download('mallory', 'secret.txt')).rejects.toMatchObject({
      code: 'not-found',
    });
    const own = await runner.download('victim', 'secret.txt');
    expect(new TextDecoder().decode(own)).toBe('top-secret\n');
  });

  it('upload names with .., absolute paths, NUL or 4 KB are rejected; nothing is written', async () => {
    for (const p of ['../escape', 'a/../../escape', '/etc/cron.d/x', 'a\0b', 'n'.repeat(4096)]) {
      await expect(runner.upload('mallory', p, new Uint8Array([1]))).rejects.toMatchObject({
        code: 'bad-path',
      });
    }
    const r = await runCollect(runner, 'mallory', {
      language: 'shell',
      code: 'ls -A /home /home/sandbox /tmp; [ -e /etc/cron.d/x ] && echo WRITTEN',
    });
    expect(r.stdout).not.toContain('escape');
    expect(r.stdout).not.toContain('WRITTEN');
  });

  it('downloading a symlink or a directory is refused; uploads never follow symlinks', async () => {
    await runCollect(runner, 'mallory', {
      language: 'shell',
      code: 'ln -sf /etc/passwd pw; ln -sfn /tmp linkdir; mkdir -p adir; echo x > adir/f',
    });
    await expect(runner.download('mallory', 'pw')).rejects.toMatchObject({
      code: 'not-regular-file',
    });
    await expect(runner.download('mallory', 'adir')).rejects.toMatchObject({
      code: 'not-regular-file',
    });
    await expect(
      runner.upload('mallory', 'linkdir/planted', new Uint8Array([1])),
    ).rejects.toMatchObject({ code: 'bad-path' });
    const r = await runCollect(runner, 'mallory', { language: 'shell', code: 'ls /tmp' });
    expect(r.stdout).not.toContain('planted');
  });

  it('a background process left after the run is killed', async () => {
    const r = await runCollect(runner, 'mallory', {
      language: 'shell',
      code: 'setsid sh -c "while true; do date >> ticker.log; sleep 0.1; done" >/dev/null 2>&1 &\necho started',
    });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'started\n' });
    const after = await runCollect(runner, 'mallory', { language: 'shell', code: PS });
    expect(after.stdout).not.toContain('ticker');
    expect(after.stdout).not.toContain('sleep');
  });

  it('50 parallel runs from one account: 1 runs, 2 queue, the rest are busy; others unaffected', async () => {
    const runs = Array.from({ length: 50 }, (_, i) =>
      runner.run('mallory', { language: 'shell', code: `sleep 0.5; echo ${i}` }),
    );
    const other = runCollect(runner, 'bystander', { language: 'python', code: 'print("fine")' });
    const settled = await Promise.allSettled(runs);
    const ok = settled.filter((s) => s.status === 'fulfilled');
    const busy = settled.filter((s) => s.status === 'rejected');
    expect(ok).toHaveLength(3);
    expect(busy).toHaveLength(47);
    for (const b of busy) {
      expect((b as PromiseRejectedResult).reason).toBeInstanceOf(SandboxBusyError);
    }
    for (const o of ok) {
      expect((o as PromiseFulfilledResult<{ exitCode: number | null }>).value.exitCode).toBe(0);
    }
    expect(await other).toMatchObject({ exitCode: 0, stdout: 'fine\n' });
  });
});
