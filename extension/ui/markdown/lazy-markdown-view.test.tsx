// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { MarkdownView } from './index.ts';

afterEach(cleanup);

describe('MarkdownView (loaded on first use)', () => {
  it('shows inert plain text until the renderer has loaded, then the Markdown', async () => {
    const text = '**bold** and <img src=x onerror=alert(1)>';
    const { container } = render(<MarkdownView text={text} />);
    const pending = screen.queryByTestId('markdown-pending');
    if (pending) {
      expect(pending.textContent).toBe(text);
      expect(container.querySelector('img, strong')).toBeNull();
    }
    await screen.findByTestId('markdown-view');
    expect(container.querySelector('strong')?.textContent).toBe('bold');
    expect(container.querySelector('img')).toBeNull();
    expect(screen.queryByTestId('markdown-pending')).toBeNull();
  });
});
