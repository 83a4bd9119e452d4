import { describe, expect, it, vi } from 'vitest';
import { createHighlighter, type HighlightEngine } from './highlighter.ts';

describe('highlighter (grammars loaded on demand)', () => {
  it('answers plain text until the grammars load, loading them once, then colours', async () => {
    const { lowlight } = await import('./highlight-grammars.ts');
    let resolve: (e: HighlightEngine) => void = () => undefined;
    const load = vi.fn(() => new Promise<HighlightEngine>((r) => (resolve = r)));
    const h = createHighlighter(load);
    expect(h.isReady()).toBe(false);
    expect(h.supports('ts')).toBe(false);
    expect(h.highlight('const a = 1;', 'ts')).toEqual({ kind: 'plain', reason: 'loading' });
    expect(h.highlight('const b = 2;', 'ts')).toEqual({ kind: 'plain', reason: 'loading' });
    const ready = h.ready();
    resolve(lowlight);
    await ready;
    expect(load).toHaveBeenCalledTimes(1);
    expect(h.isReady()).toBe(true);
    expect(h.supports('TS')).toBe(true);
    expect(h.highlight('const a = 1;', 'ts').kind).toBe('highlighted');
    expect(h.highlight('+++.', 'brainfuck')).toEqual({
      kind: 'plain',
      reason: 'unknown-language',
    });
  });

  it('does not load for blocks without a language, and retries after a failed load', async () => {
    const { lowlight } = await import('./highlight-grammars.ts');
    const load = vi
      .fn<() => Promise<HighlightEngine>>()
      .mockRejectedValueOnce(new Error('chunk missing'))
      .mockResolvedValue(lowlight);
    const h = createHighlighter(load);
    h.highlight('plain', '');
    expect(load).not.toHaveBeenCalled();
    await expect(h.ready()).rejects.toThrow('chunk missing');
    expect(h.highlight('x = 1', 'python')).toEqual({ kind: 'plain', reason: 'loading' });
    await h.ready();
    expect(load).toHaveBeenCalledTimes(2);
    expect(h.highlight('x = 1', 'python').kind).toBe('highlighted');
  });
});
