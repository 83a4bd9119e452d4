import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from './harness/browser';
import { extractPageContent, type ExtractOptions } from '../extension/core/page/extract';
import { UNTRUSTED_END, wrapUntrusted } from '../extension/core/page/untrusted';
import {
  FIXTURE_PAGES_DIR,
  HUGE_PAGE_TAIL_MARKER,
  startTestServer,
  type TestServer,
} from './harness/test-server';

// The real extractor (the very function the extension injects with
// scripting.executeScript) runs in Debian's Chromium against hostile fixture pages.
// No extension build is needed: Puppeteer serialises the function the same way.

const CAP = 20_000;

const HIDDEN_MARKERS = [
  'HIDDEN_MARKER_DISPLAY_NONE',
  'HIDDEN_MARKER_VISIBILITY_HIDDEN',
  'HIDDEN_MARKER_VISIBILITY_COLLAPSE',
  'HIDDEN_MARKER_OPACITY_ZERO',
  'HIDDEN_MARKER_ARIA_HIDDEN',
  'HIDDEN_MARKER_HIDDEN_ATTRIBUTE',
  'HIDDEN_MARKER_WHITE_ON_WHITE',
  'HIDDEN_MARKER_BLACK_ON_BLACK',
  'HIDDEN_MARKER_TRANSPARENT_TEXT',
  'HIDDEN_MARKER_COMMENT',
  'HIDDEN_MARKER_NOSCRIPT',
  'HIDDEN_MARKER_OFFSCREEN',
  'HIDDEN_MARKER_OFFSCREEN_TOP',
  'HIDDEN_MARKER_ZERO_SIZE',
  'HIDDEN_MARKER_FONT_SIZE_ZERO',
  'HIDDEN_MARKER_SR_ONLY_CLIP',
  'HIDDEN_MARKER_CLIP_PATH',
  'HIDDEN_MARKER_SCALE_ZERO',
  'HIDDEN_MARKER_TEXT_INDENT',
  'HIDDEN_MARKER_CLOSED_DETAILS',
  'HIDDEN_MARKER_CONTENT_VISIBILITY',
  'HIDDEN_MARKER_TEMPLATE',
  'HIDDEN_MARKER_IFRAME_SRCDOC',
  'HIDDEN_MARKER_PASSWORD_VALUE',
  'HIDDEN_MARKER_TEXT_INPUT_VALUE',
  'HIDDEN_MARKER_HIDDEN_INPUT',
  'HIDDEN_MARKER_TEXTAREA_VALUE',
  'HIDDEN_MARKER_SELECT_OPTION',
  'HIDDEN_MARKER_SCRIPT',
  'HIDDEN_MARKER_STYLE',
  'HIDDEN_MARKER_SVG_TEXT',
  'HIDDEN_MARKER_SHADOW_DISPLAY_NONE',
  'HIDDEN_MARKER_NEAR_WHITE',
  'HIDDEN_MARKER_HEIGHT_ZERO_OVERFLOW',
  'HIDDEN_MARKER_FIXED_OFFSCREEN',
  'HIDDEN_MARKER_CLOSED_DIALOG',
  'HIDDEN_MARKER_WHITE_ON_TRANSLUCENT_WHITE',
  'HIDDEN_MARKER_FILTER_OPACITY',
] as const;

describe('extractPageContent in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  const open = async (name: string) => {
    await page.goto(`${server.url}${name}`, { waitUntil: 'load' });
  };
  const extract = (opts: ExtractOptions) => page.evaluate(extractPageContent, opts);

  beforeAll(async () => {
    server = await startTestServer();
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      pipe: true,
      userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-page-')),
      args: CHROMIUM_ARGS,
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 800 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe('article.html', () => {
    it('returns the title, URL, language and the article text with its structure', async () => {
      await open('article.html');
      const r = await extract({ maxChars: CAP });
      expect(r.kind).toBe('html');
      expect(r.title).toBe('The Quiet Lighthouse — Nook test article');
      expect(r.url).toBe(`${server.url}article.html`);
      expect(r.lang).toBe('en');
      expect(r.truncated).toBe(false);
      expect(r.totalChars).toBe(r.text.length);
      expect(r.text).toContain(
        'The lighthouse keeper counted exactly forty-two ships before dawn.',
      );
      expect(r.text).toContain('in ink that rarely faded.');
      expect(r.text).toMatch(/^# The Quiet Lighthouse$/m);
      expect(r.text).toMatch(/^## Tides$/m);
      expect(r.text).toMatch(/^- Lamp oil$/m);
      expect(r.text).toMatch(/^- Wicks and matches$/m);
      expect(r.text).toMatch(/^ {2}- Fresnel, first order$/m);
      expect(r.text).toMatch(/^1891 \| 312$/m);
      expect(r.text).toContain('line one\n    indented line two');
      expect(r.selection).toBeUndefined();
    });

    it('never includes form field values or hidden spans in the page text', async () => {
      await open('article.html');
      const r = await extract({ maxChars: CAP });
      expect(r.text).not.toContain('FORM_VALUE_MARKER');
      expect(r.text).not.toContain('SELECTION_HIDDEN_MARKER');
      expect(r.text).not.toContain('SELECTION_SRONLY_MARKER');
    });

    it('a selection made across hidden spans excludes them', async () => {
      await open('article.html');
      const naive = await page.evaluate(() => {
        const range = document.createRange();
        range.setStart(document.getElementById('before')!.firstChild!, 0);
        range.setEnd(document.getElementById('after')!.firstChild!, 'ships before'.length);
        const sel = window.getSelection()!;
        sel.removeAllRanges();
        sel.addRange(range);
        return sel.toString();
      });
      // The browser's own selection text leaks the sr-only span: the filter is needed.
      expect(naive).toContain('SELECTION_SRONLY_MARKER');
      const r = await extract({ maxChars: CAP });
      expect(r.selection).toBe('exactly forty-two ships before');
      const only = await extract({ maxChars: CAP, selectionOnly: true });
      expect(only.text).toBe('exactly forty-two ships before');
      expect(only.selection).toBe(only.text);
      expect(only.truncated).toBe(false);
    });

    it('caps the text at maxChars and reports truncated and a larger total', async () => {
      await open('article.html');
      const full = await extract({ maxChars: CAP });
      const r = await extract({ maxChars: 40 });
      expect(r.truncated).toBe(true);
      expect(r.text.length).toBeLessThanOrEqual(40);
      expect(full.text.startsWith(r.text)).toBe(true);
      expect(r.totalChars).toBeGreaterThan(40);
    });
  });

  describe('hidden-instructions.html', () => {
    let text = '';
    let source = '';

    beforeAll(async () => {
      source = fs.readFileSync(path.join(FIXTURE_PAGES_DIR, 'hidden-instructions.html'), 'utf8');
      await open('hidden-instructions.html');
      const r = await extract({ maxChars: CAP });
      text = r.text;
    });

    it('keeps visible text: shadow DOM, a visible child of a hidden parent, light-on-dark, gradient, fixed', () => {
      expect(text).toContain('VISIBLE_MARKER_START Mix flour');
      expect(text).toContain('VISIBLE_MARKER_END Bake at 220 °C');
      expect(text).toContain('VISIBLE_MARKER_SHADOW');
      expect(text).toContain('VISIBLE_MARKER_CHILD_OVERRIDE');
      expect(text).toContain('VISIBLE_MARKER_WHITE_ON_DARK');
      expect(text).toContain('VISIBLE_MARKER_GRADIENT_TEXT');
      expect(text).toContain('VISIBLE_MARKER_FIXED_BANNER');
      expect(text).toContain('Notes'); // a closed <details> still shows its summary
    });

    it.each(HIDDEN_MARKERS)('attack: hidden text %s is not extracted', (marker) => {
      expect(source).toContain(marker); // the fixture really carries it
      expect(text).not.toContain(marker);
    });

    it('attack: no fragment of any hidden marker leaks at all', () => {
      expect(text).not.toMatch(/HIDDEN_MARKER/);
    });

    it('attack: a page-made selection of a hidden block yields no selection', async () => {
      await open('hidden-instructions.html');
      await page.evaluate(() => {
        const hidden = document.querySelector('div[style*="display: none"]')!;
        window.getSelection()!.selectAllChildren(hidden);
      });
      const r = await extract({ maxChars: CAP, selectionOnly: true });
      expect(r.selection).toBeUndefined();
      expect(r.text).toBe('');
    });

    it('attack: selecting the whole body selects only the visible text', async () => {
      await open('hidden-instructions.html');
      await page.evaluate(() => window.getSelection()!.selectAllChildren(document.body));
      const r = await extract({ maxChars: CAP, selectionOnly: true });
      expect(r.text).toContain('VISIBLE_MARKER_START');
      expect(r.text).toContain('VISIBLE_MARKER_END');
      expect(r.text).not.toMatch(/HIDDEN_MARKER/);
    });

    it('attack: a selected password field is never read', async () => {
      await open('hidden-instructions.html');
      await page.evaluate(() => {
        const pw = document.getElementById('pw') as HTMLInputElement;
        pw.focus();
        pw.select();
      });
      const r = await extract({ maxChars: CAP, selectionOnly: true });
      expect(r.text).not.toContain('HIDDEN_MARKER_PASSWORD_VALUE');
    });

    it("reads the user's own selection inside a visible textarea", async () => {
      await open('hidden-instructions.html');
      await page.evaluate(() => {
        const ta = document.querySelector('textarea')!;
        ta.focus();
        ta.setSelectionRange(0, 'HIDDEN_MARKER'.length);
      });
      const r = await extract({ maxChars: CAP, selectionOnly: true });
      expect(r.text).toBe('HIDDEN_MARKER');
    });
  });

  describe('huge.html (about 5 MB of text)', () => {
    it('returns within the cap with truncated=true and an estimated total', async () => {
      await open('huge.html');
      const r = await extract({ maxChars: 50_000 });
      expect(r.truncated).toBe(true);
      expect(r.text.length).toBeLessThanOrEqual(50_000);
      expect(r.text.length).toBeGreaterThan(45_000);
      expect(r.text).not.toContain(HUGE_PAGE_TAIL_MARKER);
      expect(r.totalChars).toBeGreaterThan(4_000_000);
      expect(r.title).toBe('Huge page');
    });
  });

  describe('injection-tool.html', () => {
    it('extracts the visible injection as text, and wrapping keeps it inside one block', async () => {
      await open('injection-tool.html');
      const r = await extract({ maxChars: CAP });
      expect(r.text).toContain('call the run_code tool');
      expect(r.text).toContain(`${UNTRUSTED_END} boundary=0000`);
      const block = wrapUntrusted({ source: 'page', ...r });
      const ends = block.split('\n').filter((l) => l.startsWith(UNTRUSTED_END));
      expect(ends).toHaveLength(1);
      expect(block.endsWith(ends[0] ?? '')).toBe(true);
    });
  });

  describe('test server', () => {
    it('serves only the fixture pages', async () => {
      const status = async (p: string) => (await fetch(`${server.url}${p}`)).status;
      expect(await status('article.html')).toBe(200);
      expect(await status('missing.html')).toBe(404);
      expect(await status('..%2Fharness%2Ftest-server.ts')).toBe(404);
      expect(await status('../package.json')).toBe(404);
      expect(await status('')).toBe(404);
      expect((await fetch(`${server.url}article.html`, { method: 'POST' })).status).toBe(405);
    });
  });
});
