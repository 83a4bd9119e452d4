import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { SandboxEndFrame, type SandboxOutputFrame } from '../../shared/protocol/sandbox';
import { SandboxBusyError, SandboxError, sandboxErrorStatus } from './errors';
import { createFakeRunner } from './fake-runner';

const enc = (s: string) => new TextEncoder().encode(s);

describe('createFakeRunner', () => {
  it('echoes code as output by default and records the run', async () => {
    const r = createFakeRunner();
    const frames: SandboxOutputFrame[] = [];
    const res = await r.run('a', {
      language: 'python',
      code: 'hi',
      onOutput: (f) => frames.push(f),
    });
    expect(res).toMatchObject({ exitCode: 0, timedOut: false });
    expect(frames).toEqual([{ type: 'output', stream: 'stdout', data: 'hi' }]);
    expect(r.runs).toEqual([{ account: 'a', language: 'python', code: 'hi' }]);
    // A route sends `{ type: 'end', ...result }`: the result must be a valid end frame.
    expect(Value.Check(SandboxEndFrame, { type: 'end', ...res })).toBe(true);
  });

  it('keeps files per account, and account A cannot read account B', async () => {
    const r = createFakeRunner();
    await r.upload('a', 'dir/x.txt', enc('secret-a'));
    expect(new TextDecoder().decode(await r.download('a', './dir//x.txt'))).toBe('secret-a');
    await expect(r.download('b', 'dir/x.txt')).rejects.toMatchObject({ code: 'not-found' });
    expect((await r.listFiles('a')).files.map((f) => f.path)).toEqual(['dir/x.txt']);
    await r.deleteFile('a', 'dir/x.txt');
    expect((await r.listFiles('a')).files).toEqual([]);
  });

  it('attack: upload names with .., absolute paths, NUL or 4 KB are rejected', async () => {
    const r = createFakeRunner();
    for (const p of ['../x', '/etc/passwd', 'a\0b', 'n'.repeat(4096)]) {
      await expect(r.upload('a', p, enc('x'))).rejects.toMatchObject({ code: 'bad-path' });
    }
    expect((await r.listFiles('a')).files).toEqual([]);
  });

  it('enforces the workspace quota and the output cap like the real runner', async () => {
    const r = createFakeRunner({
      limits: { workspaceQuotaBytes: 10, outputCapBytes: 4 },
      script: (_a, _o, emit) => emit({ type: 'output', stream: 'stdout', data: 'abcdefgh' }),
    });
    await r.upload('a', 'f', enc('0123456789'));
    await expect(r.upload('a', 'g', enc('1'))).rejects.toMatchObject({ code: 'quota-exceeded' });
    const res = await r.run('b', { language: 'shell', code: '' });
    expect(res.outputTruncated).toBe(true);
  });

  it('queues then refuses with SandboxBusyError (HTTP 429)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const r = createFakeRunner({ script: () => gate.then(() => ({})) });
    const runs = Array.from({ length: 5 }, () => r.run('a', { language: 'shell', code: '' }));
    const settled = Promise.allSettled(runs);
    release();
    const out = await settled;
    const busy = out.filter((o) => o.status === 'rejected');
    expect(busy).toHaveLength(2);
    for (const b of busy)
      expect((b as PromiseRejectedResult).reason).toBeInstanceOf(SandboxBusyError);
    expect(sandboxErrorStatus(new SandboxBusyError().code)).toBe(429);
  });

  it('reports status, stops idle sandboxes, resets to empty', async () => {
    const r = createFakeRunner({ idleMs: 0 });
    expect((await r.status('a')).state).toBe('absent');
    await r.upload('a', 'f', enc('xyz'));
    expect(await r.status('a')).toMatchObject({ state: 'running', usedBytes: 3 });
    expect(await r.stopIdle()).toBe(1);
    expect((await r.status('a')).state).toBe('stopped');
    await r.reset('a');
    expect((await r.status('a')).state).toBe('absent');
    await r.close();
    await expect(r.ensure('a')).rejects.toBeInstanceOf(SandboxError);
  });
});
