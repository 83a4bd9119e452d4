// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { highlighter, MAX_HIGHLIGHT_CHARS } from './highlighter.ts';
import { MarkdownView } from './markdown-view.tsx';

const writeText = vi.fn<(text: string) => Promise<void>>();

// The grammars load lazily (highlighter.test.ts covers that); here they are in place.
beforeAll(() => highlighter.ready());

beforeEach(() => {
  writeText.mockReset();
  writeText.mockResolvedValue(undefined);
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('MarkdownView: GitHub-flavoured markdown', () => {
  it('renders headings, lists, tables, task lists and strikethrough', () => {
    const { container } = render(
      <MarkdownView
        text={[
          '# Title',
          '',
          '1. one',
          '2. two',
          '',
          '| Name | Size |',
          '|------|-----:|',
          '| a    | 1    |',
          '',
          '- [x] done',
          '- [ ] todo',
          '',
          '~~old~~ new',
        ].join('\n')}
      />,
    );
    expect(container.querySelector('h1')?.textContent).toBe('Title');
    expect(container.querySelectorAll('ol > li')).toHaveLength(2);
    expect(container.querySelector('.md-table-wrap table th')?.textContent).toBe('Name');
    const boxes = [...container.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    expect(boxes.map((b) => [b.checked, b.disabled])).toEqual([
      [true, true],
      [false, true],
    ]);
    expect(container.querySelector('del')?.textContent).toBe('old');
  });

  it('shows raw HTML as text instead of interpreting it; <br> in tables breaks lines', () => {
    const { container } = render(
      <MarkdownView text={'Press <kbd>Ctrl</kbd> and <b>go</b>\n\n| a |\n|---|\n| x<br>y |'} />,
    );
    expect(container.querySelector('kbd, b')).toBeNull();
    expect(container.textContent).toContain('<kbd>Ctrl</kbd>');
    expect(container.querySelector('td br')).not.toBeNull();
  });
});

describe('MarkdownView: code blocks', () => {
  it('labels the language, highlights, and copies the exact code', async () => {
    const code = 'const answer: number = 42;\nconsole.log("<b>" + answer);';
    render(<MarkdownView text={'Intro\n\n```ts\n' + code + '\n```\n'} />);
    expect(screen.getByTestId('code-language').textContent).toBe('ts');
    expect(document.querySelector('.md-code .hljs-keyword')?.textContent).toBe('const');
    expect(document.querySelector('.md-code b')).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByTestId('code-copy'));
    });
    expect(writeText).toHaveBeenCalledTimes(1);
    expect(writeText).toHaveBeenCalledWith(code);
    expect(screen.getByTestId('code-copy').textContent).toBe('Copied');
  });

  it('copies code nested in a list item too, and reports a refused clipboard', async () => {
    writeText.mockRejectedValue(new Error('denied'));
    render(<MarkdownView text={'- step:\n\n  ```sh\n  npm test\n  ```\n'} />);
    await act(async () => {
      fireEvent.click(screen.getByTestId('code-copy'));
    });
    expect(writeText).toHaveBeenCalledWith('npm test');
    expect(screen.getByTestId('code-copy').textContent).toBe('Copy failed');
  });

  it('renders unknown languages and oversized blocks as plain text', () => {
    const big = 'let x = 1;\n'.repeat(Math.ceil(MAX_HIGHLIGHT_CHARS / 11) + 1);
    const { container } = render(
      <MarkdownView text={'```brainfuck\n+++.\n```\n\n```js\n' + big + '```\n'} />,
    );
    const blocks = container.querySelectorAll('.md-code');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.querySelector('[data-testid="code-language"]')?.textContent).toBe(
      'brainfuck',
    );
    expect(blocks[0]?.querySelector('span.hljs-keyword, code span')).toBeNull();
    expect(blocks[1]?.querySelector('code span')).toBeNull();
    expect(blocks[1]?.querySelector('code')?.textContent).toBe(big.slice(0, -1));
  });
});

describe('MarkdownView: links', () => {
  it('shows the real URL when the text differs, and opens safely', () => {
    render(<MarkdownView text="Read [the docs](https://example.com/guide?x=1) now." />);
    const link = screen.getByRole('link');
    expect(link.getAttribute('href')).toBe('https://example.com/guide?x=1');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(link.textContent).toBe('the docs (example.com/guide?x=1)');
  });

  it('does not repeat the URL when the text already is the URL', () => {
    const { container } = render(
      <MarkdownView text="Visit https://example.com/ or www.example.org or <https://example.net/a>" />,
    );
    const links = [...container.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).toEqual([
      'https://example.com/',
      'www.example.org',
      'https://example.net/a',
    ]);
    expect(screen.queryByTestId('link-url')).toBeNull();
  });

  it('attack: a link whose text names another site shows where it really goes', () => {
    render(<MarkdownView text="[https://bank.example/login](https://evil.example/login)" />);
    expect(screen.getByTestId('link-url').textContent).toContain('evil.example/login');
  });

  it('attack: a right-to-left override in the text cannot reverse the shown URL', () => {
    render(<MarkdownView text={'[\u202Egnp.exe](https://evil.example/payload)'} />);
    const url = screen.getByTestId('link-url');
    expect(url.getAttribute('dir')).toBe('ltr');
    expect(url.textContent).toBe(' (evil.example/payload)');
  });

  it('attack: a mailto link shows the pre-filled subject and body', () => {
    render(<MarkdownView text="[write us](mailto:a@b.example?subject=hi&body=SECRET)" />);
    expect(screen.getByTestId('link-url').textContent).toBe(
      ' (a@b.example?subject=hi&body=SECRET)',
    );
  });

  it('keeps footnotes readable (references become plain text, notes are shown)', () => {
    const { container } = render(<MarkdownView text={'Claim[^1].\n\n[^1]: Source note.'} />);
    expect(container.querySelector('sup')?.textContent).toBe('1');
    expect(container.textContent).toContain('Source note.');
    expect(container.textContent).not.toContain('link removed');
  });

  it('attack: refused links become plain text with a note', () => {
    const { container } = render(<MarkdownView text="[press](javascript:alert(1))" />);
    expect(container.querySelector('a')).toBeNull();
    expect(container.textContent).toBe('press (link removed)');
  });
});

describe('MarkdownView: images', () => {
  it('attack: never loads an image before the click, then loads only that one', () => {
    const { container } = render(
      <MarkdownView
        text={
          '![diagram](https://img.example/d.png?secret=1) and ![second](https://cdn.example/e.png)'
        }
      />,
    );
    expect(container.querySelector('img')).toBeNull();
    const placeholders = screen.getAllByTestId('image-placeholder');
    expect(placeholders.map((p) => p.textContent)).toEqual([
      'diagram · img.example · click to load',
      'second · cdn.example · click to load',
    ]);
    fireEvent.click(placeholders[0] as HTMLElement);
    const loaded = screen.getAllByTestId('image-loaded');
    expect(loaded).toHaveLength(1);
    expect(loaded[0]?.getAttribute('src')).toBe('https://img.example/d.png?secret=1');
    expect(screen.getAllByTestId('image-placeholder')).toHaveLength(1);
  });

  it('attack: data: images are never loaded, not even on click', () => {
    const { container } = render(<MarkdownView text="![dot](data:image/png;base64,AAAA)" />);
    expect(screen.queryByTestId('image-placeholder')).toBeNull();
    expect(screen.getByTestId('image-blocked').textContent).toContain('dot');
    expect(container.querySelector('img')).toBeNull();
  });
});

describe('MarkdownView: streaming', () => {
  it('throttles renders while streaming and always shows the final text', () => {
    vi.useFakeTimers();
    const view = (text: string, streaming: boolean) => (
      <MarkdownView text={text} streaming={streaming} />
    );
    const { container, rerender } = render(view('Hello', true));
    act(() => rerender(view('Hello world', true)));
    expect(container.textContent).toBe('Hello world');
    act(() => rerender(view('Hello world, and', true)));
    act(() => rerender(view('Hello world, and more', true)));
    expect(container.textContent).toBe('Hello world');
    act(() => vi.advanceTimersByTime(60));
    expect(container.textContent).toBe('Hello world, and more');
    act(() => rerender(view('Hello world, and more. Done.', false)));
    expect(container.textContent).toBe('Hello world, and more. Done.');
  });

  it('shows a replaced text at once (regenerate)', () => {
    vi.useFakeTimers();
    const { container, rerender } = render(<MarkdownView text="First try" streaming />);
    act(() => rerender(<MarkdownView text="First try again" streaming />));
    act(() => rerender(<MarkdownView text="Second" streaming />));
    expect(container.textContent).toBe('Second');
  });

  it('highlights a finished code block once however many deltas follow', () => {
    vi.useFakeTimers();
    const spy = vi.spyOn(highlighter, 'highlight');
    let text = 'Code:\n\n```js\nconst done = true;\n```\n\n';
    const { container, rerender } = render(<MarkdownView text={text} streaming />);
    for (let i = 0; i < 60; i += 1) {
      text += i % 10 === 9 ? 'word.\n\n' : 'word ';
      act(() => rerender(<MarkdownView text={text} streaming />));
      act(() => vi.advanceTimersByTime(60));
    }
    act(() => rerender(<MarkdownView text={text} />));
    const calls = spy.mock.calls.filter(([code]) => code === 'const done = true;');
    expect(calls).toHaveLength(1);
    expect(container.querySelectorAll('p').length).toBeGreaterThan(5);
  });
});
