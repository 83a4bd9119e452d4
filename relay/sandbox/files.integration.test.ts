import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { removeInstance, runCollect, testInstance, testRunner } from './integration-helpers';
import type { SandboxRunner } from './runner';

const image = inject('sandboxImage');
const instance = testInstance();
let runner: SandboxRunner;

beforeAll(() => {
  runner = testRunner(image, instance, {
    limits: { maxUploadBytes: 2 * 1024 * 1024, maxDownloadBytes: 1024 * 1024 },
  });
});
afterAll(async () => {
  await runner.close();
  removeInstance(instance);
});

describe('workspace files (real Docker)', () => {
  it('uploads binary files into nested folders, owned by the sandbox user, and reads them back', async () => {
    const blob = new Uint8Array(randomBytes(300_000));
    await runner.upload('fay', 'data/raw/blob.bin', blob);
    await runner.upload('fay', `ünïcödé-${'n'.repeat(120)}.txt`, new TextEncoder().encode('long'));
    const back = await runner.download('fay', 'data/raw/blob.bin');
    expect(Buffer.from(back).equals(Buffer.from(blob))).toBe(true);
    const r = await runCollect(runner, 'fay', {
      language: 'python',
      code: 'import os, hashlib\np="data/raw/blob.bin"\nst=os.stat(p)\nprint(st.st_uid, st.st_gid, os.stat("data").st_uid, hashlib.sha256(open(p,"rb").read()).hexdigest())',
    });
    const sha = (await import('node:crypto')).createHash('sha256').update(blob).digest('hex');
    expect(r.stdout.trim()).toBe(`1000 1000 1000 ${sha}`);
    const list = await runner.listFiles('fay');
    expect(list.files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'data',
        'data/raw',
        'data/raw/blob.bin',
        `ünïcödé-${'n'.repeat(120)}.txt`,
      ]),
    );
    expect(list.files.find((f) => f.path === 'data/raw/blob.bin')).toMatchObject({
      type: 'file',
      size: 300_000,
    });
  });

  it('files written by a run can be downloaded; uploads overwrite; delete removes trees', async () => {
    await runCollect(runner, 'fay', {
      language: 'python',
      code: 'import pandas as pd\npd.DataFrame({"a":[1,2]}).to_csv("out.csv", index=False)',
    });
    expect(new TextDecoder().decode(await runner.download('fay', 'out.csv'))).toBe('a\n1\n2\n');
    await runner.upload('fay', 'out.csv', new TextEncoder().encode('replaced'));
    expect(new TextDecoder().decode(await runner.download('fay', 'out.csv'))).toBe('replaced');
    await runner.deleteFile('fay', 'data');
    const paths = (await runner.listFiles('fay')).files.map((f) => f.path);
    expect(paths.some((p) => p.startsWith('data'))).toBe(false);
    await expect(runner.deleteFile('fay', 'data')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('size caps: uploads and downloads over the limit are refused', async () => {
    await expect(
      runner.upload('fay', 'big', new Uint8Array(2 * 1024 * 1024 + 1)),
    ).rejects.toMatchObject({ code: 'too-large' });
    await runCollect(runner, 'fay', {
      language: 'shell',
      code: 'head -c 1100000 /dev/zero > big.bin',
    });
    await expect(runner.download('fay', 'big.bin')).rejects.toMatchObject({ code: 'too-large' });
  });

  it('missing files and absent sandboxes answer not-found without creating anything', async () => {
    await expect(runner.download('fay', 'nope.txt')).rejects.toMatchObject({ code: 'not-found' });
    await expect(runner.download('ghost', 'x')).rejects.toMatchObject({ code: 'not-found' });
    expect(await runner.listFiles('ghost')).toEqual({ files: [], truncated: false });
    expect((await runner.status('ghost')).state).toBe('absent');
  });

  it('reports workspace usage in status', async () => {
    const s = await runner.status('fay');
    expect(s.state).toBe('running');
    expect(s.usedBytes).toBeGreaterThan(1_000_000);
  });
});
