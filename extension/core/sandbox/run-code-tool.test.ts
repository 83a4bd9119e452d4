import { describe, expect, it } from 'vitest';
import type { ToolProgress, ToolRunContext } from '../tools/types';
import { createFakeSandbox } from './fake-sandbox';
import { readRunCodeDisplay } from './run-code-display';
import { createRunCodeTool, parseRunCodeArgs, RUN_CODE } from './run-code-tool';
import { endSummary, producedFiles } from './run-report';

const ctx = (progress: ToolProgress[] = [], signal = new AbortController().signal) =>
  ({
    conversationId: 'c1',
    messageId: 'm1',
    signal,
    onProgress: (p: ToolProgress) => progress.push(p),
  }) satisfies ToolRunContext;

const END = {
  exitCode: 0,
  signal: null,
  timedOut: false,
  oomKilled: false,
  outputTruncated: false,
  quotaExceeded: false,
  durationMs: 1234,
};

describe('run_code', () => {
  it('is offered with approval "ask" and a JSON schema the providers accept', () => {
    const tool = createRunCodeTool(createFakeSandbox());
    expect(tool.approval).toBe('ask');
    expect(tool.spec.name).toBe(RUN_CODE);
    expect(tool.spec.parameters).toMatchObject({ type: 'object', required: ['language', 'code'] });
  });

  it('streams output live, then reports output and new images/files to the model and the card', async () => {
    const sandbox = createFakeSandbox({
      script(input, api) {
        api.emit('stdout', 'mean 2.5\n');
        api.emit('stderr', 'warning: x\n');
        api.write('plot.png', new Uint8Array([137, 80]));
        api.write('result.csv', 'a,b\n');
        expect(input.timeoutMs).toBe(60_000);
        // The run belongs to the conversation (the data-flow ledger records it there).
        expect(input.conversationId).toBe('c1');
      },
    });
    sandbox.write('data.csv', '1,2\n'); // uploaded earlier: not a result
    const progress: ToolProgress[] = [];
    const out = await createRunCodeTool(sandbox).run(
      { language: 'python', code: 'print(1)', timeout_seconds: 60 },
      ctx(progress),
    );
    expect(progress.filter((p) => p.stream !== 'status')).toEqual([
      { stream: 'stdout', data: 'mean 2.5\n' },
      { stream: 'stderr', data: 'warning: x\n' },
    ]);
    expect(out.isError).toBe(false);
    expect(out.content).toContain('mean 2.5');
    expect(out.content).toContain('images saved (shown to the user): plot.png');
    expect(out.content).toContain('files written (offered as downloads): result.csv');
    expect(out.content).not.toContain('data.csv');
    const d = readRunCodeDisplay(out.display);
    expect(d?.images.map((f) => f.path)).toEqual(['plot.png']);
    expect(d?.files.map((f) => f.path)).toEqual(['result.csv']);
    expect(d?.stdout).toBe('mean 2.5\n');
    expect(d?.summary).toMatch(/finished/i);
  });

  it('turns bad arguments into a plain-words error the model can act on, without running', async () => {
    const sandbox = createFakeSandbox();
    const tool = createRunCodeTool(sandbox);
    for (const args of [
      { language: 'ruby', code: 'x' },
      { language: 'python', code: '  ' },
      { language: 'python', code: 'x', timeout_seconds: -1 },
      { language: 'python', code: 'x'.repeat(70_000) },
    ]) {
      const out = await tool.run(args, ctx());
      expect(out.isError).toBe(true);
      expect(out.content).toMatch(/did not run/);
    }
    expect(sandbox.runs).toHaveLength(0);
    expect(parseRunCodeArgs({ language: 'shell', code: 'ls', timeout_seconds: 9999 })).toEqual({
      language: 'shell',
      code: 'ls',
      timeoutSeconds: 300,
    });
  });

  it('reports sandbox failures (not connected, busy, off) in plain words', async () => {
    const sandbox = createFakeSandbox({ connected: false });
    const tool = createRunCodeTool(sandbox);
    let out = await tool.run({ language: 'python', code: 'x' }, ctx());
    expect(out.isError).toBe(true);
    expect(readRunCodeDisplay(out.display)?.errorCode).toBe('not-connected');
    expect(out.content).toMatch(/Options → Sync/);
    sandbox.setConnected(true);
    sandbox.fail('run', 'busy');
    out = await tool.run({ language: 'python', code: 'x' }, ctx());
    expect(readRunCodeDisplay(out.display)?.summary).toMatch(/busy/i);
  });

  it('keeps partial output when the user stops waiting', async () => {
    const ac = new AbortController();
    const sandbox = createFakeSandbox({
      script(_i, api) {
        api.emit('stdout', 'partial');
        ac.abort();
      },
    });
    const out = await createRunCodeTool(sandbox).run(
      { language: 'python', code: 'x' },
      ctx([], ac.signal),
    );
    const d = readRunCodeDisplay(out.display);
    expect(d?.errorCode).toBe('aborted');
    expect(d?.stdout).toBe('partial');
  });
});

describe('run report', () => {
  it('says how a run ended in plain words', () => {
    expect(endSummary(END)).toBe('Finished in 1.2 s.');
    expect(endSummary({ ...END, exitCode: 2 })).toMatch(/code 2/);
    expect(endSummary({ ...END, exitCode: null, timedOut: true })).toMatch(/time limit/);
    expect(endSummary({ ...END, exitCode: null, oomKilled: true })).toMatch(/memory/);
    expect(endSummary({ ...END, outputTruncated: true })).toMatch(/printed more/);
    expect(endSummary({ ...END, quotaExceeded: true })).toMatch(/quota/);
    expect(endSummary({ ...END, exitCode: null, signal: 'SIGKILL' })).toMatch(/SIGKILL/);
  });

  it('lists only new or changed regular files', () => {
    const f = (path: string, size: number, mtimeMs = 1) => ({
      path,
      type: 'file' as const,
      size,
      mtimeMs,
    });
    const { images, files } = producedFiles(
      [f('same.txt', 1), f('grown.csv', 1), f('old.png', 5)],
      [
        f('same.txt', 1),
        f('grown.csv', 9),
        f('old.png', 5, 2),
        f('new.JPG', 3),
        f('dir', 0),
        f('.cache/matplotlib/fontlist.json', 9),
        f('.bashrc', 1),
        f('drawing.svg', 4),
      ],
    );
    expect(images.map((x) => x.path)).toEqual(['new.JPG', 'old.png']);
    expect(files.map((x) => x.path)).toEqual(['dir', 'drawing.svg', 'grown.csv']);
  });

  it('rejects a stored display that is not run_code', () => {
    expect(readRunCodeDisplay({ kind: 'save_memory' })).toBeUndefined();
    expect(readRunCodeDisplay(null)).toBeUndefined();
    expect(readRunCodeDisplay({ kind: 'run_code', images: [{ path: 1 }] })?.images).toEqual([]);
  });
});
