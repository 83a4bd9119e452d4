// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { HOSTILE_CORPUS, HOSTILE_HOSTS } from './hostile-corpus.ts';
import { findDomViolations } from './dom-safety.test-helper.ts';
import { MarkdownView } from './markdown-view.tsx';

afterEach(cleanup);

describe('attack: hostile model output renders inert', () => {
  it('has unique ids and covers the brief', () => {
    const ids = HOSTILE_CORPUS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = HOSTILE_CORPUS.map((c) => c.markdown).join('\n');
    for (const needle of ['<script', 'javascript:', 'onerror', '<iframe', 'data:', '<svg']) {
      expect(all).toContain(needle);
    }
  });

  for (const hostile of HOSTILE_CORPUS) {
    it(`${hostile.id}: ${hostile.why}`, () => {
      const { container } = render(<MarkdownView text={hostile.markdown} />);
      expect(findDomViolations(container, { imagesAllowed: false })).toEqual([]);
      const text = container.textContent ?? '';
      for (const visible of hostile.visible ?? []) expect(text).toContain(visible);
      if (hostile.imagePlaceholders !== undefined) {
        const placeholders = container.querySelectorAll('[data-testid="image-placeholder"]');
        expect(placeholders).toHaveLength(hostile.imagePlaceholders);
      }
    });
  }

  it('the whole corpus as one streamed message stays inert at every step', () => {
    // Streaming renders partial markdown (unclosed fences, half a link): check each.
    const whole = HOSTILE_CORPUS.filter((c) => !['huge-code-block', 'nesting-bomb'].includes(c.id))
      .map((c) => c.markdown)
      .join('\n\n');
    const { container, rerender } = render(<MarkdownView text="" streaming={false} />);
    const step = 97; // odd size so cuts land mid-token
    for (let end = step; end < whole.length + step; end += step) {
      rerender(<MarkdownView text={whole.slice(0, end)} streaming={false} />);
      expect(findDomViolations(container, { imagesAllowed: false })).toEqual([]);
    }
  });

  it('clicking every image placeholder loads only http(s) images from the corpus', () => {
    const markdown = HOSTILE_CORPUS.map((c) => c.markdown)
      .filter((m) => m.includes('!['))
      .join('\n\n');
    const { container, getAllByTestId } = render(<MarkdownView text={markdown} />);
    for (const button of getAllByTestId('image-placeholder')) fireEvent.click(button);
    const images = [...container.querySelectorAll('img')];
    expect(images.length).toBeGreaterThan(0);
    for (const img of images) {
      expect(new URL(img.getAttribute('src') ?? '').protocol).toBe('https:');
      expect(img.getAttribute('referrerpolicy')).toBe('no-referrer');
    }
    expect(findDomViolations(container, { imagesAllowed: true })).toEqual([]);
  });

  it('names only reserved or punycode test hosts', () => {
    for (const host of HOSTILE_HOSTS) expect(host).toMatch(/\.example$/);
  });
});
