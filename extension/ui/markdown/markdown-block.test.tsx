// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from '@testing-library/react';

// Stand-in renderer that fails on demand: stack exhaustion on real input is guarded
// earlier (nesting-guard), so the boundary is exercised directly.
vi.mock('react-markdown', () => ({
  default: ({ children }: { children: string }) => {
    if (children.includes('BOOM')) throw new RangeError('Maximum call stack size exceeded');
    return <p>{children}</p>;
  },
}));

const { MarkdownBlock } = await import('./markdown-block.tsx');

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('MarkdownBlock error boundary', () => {
  it('shows a failing block as plain text and retries when its source changes', () => {
    // React reports caught render errors on the console; keep the output clean.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { container, rerender } = render(<MarkdownBlock source="<b>BOOM</b> text" />);
    const fallback = container.querySelector('pre.md-fallback');
    expect(fallback?.textContent).toBe('<b>BOOM</b> text');
    expect(container.querySelector('b')).toBeNull();
    rerender(<MarkdownBlock source="fine now" />);
    expect(container.querySelector('pre.md-fallback')).toBeNull();
    expect(container.querySelector('p')?.textContent).toBe('fine now');
  });
});
