// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import { extractPageContent } from './extract';

// happy-dom has no layout engine, so these tests give every element a box and check the
// serialisation contract and the text shaping. The real visibility rules are proved in
// Chromium by e2e/page-extract.e2e.test.ts.

// Exactly what scripting.executeScript does: only the function's source crosses over.
const injected = new Function(
  `return (${extractPageContent.toString()})`,
)() as typeof extractPageContent;

beforeAll(() => {
  const box = { x: 10, y: 10, top: 10, left: 10, right: 410, bottom: 30, width: 400, height: 20 };
  const rect = () => ({ ...box, toJSON: () => box }) as DOMRect;
  Element.prototype.getBoundingClientRect = rect;
  Element.prototype.getClientRects = () => [rect()] as unknown as DOMRectList;
  // The document's own extent: boxes inside it are on the page, not off-screen.
  for (const prop of ['scrollWidth', 'scrollHeight', 'clientWidth']) {
    Object.defineProperty(Element.prototype, prop, { configurable: true, get: () => 2000 });
  }
});

const load = (html: string) => {
  document.title = 'Fixture';
  document.body.innerHTML = html;
};

describe('extractPageContent (serialised, happy-dom)', () => {
  it('survives serialisation: no reference to module scope', () => {
    load('<p>Hello world</p>');
    const r = injected({ maxChars: 1000 });
    expect(r).toMatchObject({
      title: 'Fixture',
      kind: 'html',
      truncated: false,
      text: 'Hello world',
    });
    expect(r.url).toBe(location.href);
  });

  it('binds no function to a variable: keepNames bundlers would wrap it in a missing __name()', () => {
    const source = extractPageContent.toString();
    expect(source).not.toMatch(
      /\b(const|let|var)\s+[\w$]+\s*=\s*(async\s*)?(\([^)]*\)\s*=>|[\w$]+\s*=>|function\b)/,
    );
    expect(source).not.toMatch(/\b__name\(|\brequire\(|\bimport\(/);
  });

  it('shapes headings, lists and paragraphs and collapses whitespace', () => {
    load(`<h2>Title</h2><p>One   two
      three</p><ul><li>a</li><li>b <em style="display:inline">c</em></li></ul>`);
    expect(injected({ maxChars: 1000 }).text).toBe('## Title\n\nOne two three\n\n- a\n- b c');
  });

  it('drops display:none, [hidden], aria-hidden, scripts and field values', () => {
    load(`<p>keep</p><div style="display:none">X1</div><div hidden>X2</div>
      <div aria-hidden="true">X3</div><script>var X4</script>
      <input type="password" value="X5"><textarea>X6</textarea><p>end</p>`);
    expect(injected({ maxChars: 1000 }).text).toBe('keep\n\nend');
  });

  it('caps the text and flags truncation', () => {
    load(`<p>${'word '.repeat(500)}</p>`);
    const r = injected({ maxChars: 100 });
    expect(r.truncated).toBe(true);
    expect(r.text.length).toBeLessThanOrEqual(100);
    expect(r.totalChars).toBeGreaterThan(100);
  });

  it('strips credentials from the URL', () => {
    load('<p>x</p>');
    expect(injected({ maxChars: 10 }).url).not.toMatch(/@/);
  });
});
