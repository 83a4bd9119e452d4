import type { ExtractOptions, PageExtract } from './types';

export type { ExtractOptions, PageExtract, PageKind } from './types';
export { PAGE_KINDS } from './types';

/**
 * Reads the VISIBLE text of the current page (and the visible part of the selection),
 * inside the page. Inject it with `browser.scripting.executeScript({ func:
 * extractPageContent, args: [{ maxChars }] })` (or Puppeteer's `page.evaluate`).
 *
 * SELF-CONTAINED: it is serialised with `Function.prototype.toString`, so its body uses
 * only page globals and its own inner helpers — never anything from this module.
 *
 * Dropped (hidden prompt-injection carriers): `display:none`, `visibility:hidden|collapse`,
 * `opacity:0`, `content-visibility:hidden`, `[hidden]`, `aria-hidden="true"`, closed
 * `<details>` bodies, unrendered/zero-size boxes, `clip`/`clip-path` sr-only boxes,
 * off-document boxes, `text-indent:-9999px`, font-size ≤ 1px, text coloured like its
 * nearest backgrounds, comments, script/style/noscript/template/iframe/object/svg, and
 * every form field value (password fields are never read, even when selected).
 * Styles are read once per element (cached); the walk stops at `maxChars` or after a
 * time budget, so a 5 MB page cannot hang the tab.
 */
export function extractPageContent(options: ExtractOptions): PageExtract {
  const maxChars = Math.max(0, Math.floor(Number(options.maxChars) || 0));
  const doc = document;
  const view = doc.defaultView ?? window;
  const started = Date.now();
  const BUDGET_MS = 4000; // a wall-clock guard, not a target: pathological DOMs stop here

  let url = location.href;
  try {
    const u = new URL(location.href);
    u.username = '';
    u.password = '';
    url = u.href;
  } catch {
    // an unparsable href is returned as the browser reports it
  }
  const title = (doc.title || '').replace(/\s+/g, ' ').trim();
  const langAttr = (doc.documentElement?.getAttribute('lang') ?? '').trim();
  const base = langAttr ? { title, url, lang: langAttr } : { title, url };
  const body = doc.body;
  const type = (doc.contentType || 'text/html').toLowerCase();
  const onlyChild = body?.children.length === 1 ? body.children[0] : undefined;
  const pdfEmbed =
    onlyChild?.localName === 'embed' && /pdf/i.test(onlyChild.getAttribute('type') ?? '');
  if (type === 'application/pdf' || pdfEmbed) {
    return { ...base, text: '', truncated: false, totalChars: 0, kind: 'pdf-viewer' };
  }
  const readable = /^(text\/|application\/(xhtml\+xml|json|xml))/.test(type);
  if (!body || !readable) {
    return { ...base, text: '', truncated: false, totalChars: 0, kind: 'unsupported' };
  }

  const SKIP = new Set(
    (
      'script style noscript template iframe frame frameset object embed canvas video audio ' +
      'svg input textarea select option optgroup datalist head title meta link base img ' +
      'picture map area'
    ).split(' '),
  );
  const TWO_LINES = new Set('p h1 h2 h3 h4 h5 h6 blockquote pre table figure hr'.split(' '));

  type Rgba = { r: number; g: number; b: number; a: number };
  type Piece = { text: string; truncated: boolean };
  const styles = new Map<Element, CSSStyleDeclaration>();
  const hiddenBox = new Map<Element, boolean>();
  const hiddenInk = new Map<Element, boolean>();
  const backgrounds = new Map<Element, Rgba | 'unknown'>();
  let pageExtent: { minX: number; width: number; height: number } | undefined;

  // Helpers are shorthand METHODS on purpose: bundlers with keepNames (esbuild, tsx) wrap
  // arrow functions bound to variables in a call to a module-level naming helper that the
  // page lacks (see extract.test.ts).
  const h = {
    styleOf(el: Element): CSSStyleDeclaration {
      let s = styles.get(el);
      if (!s) {
        s = view.getComputedStyle(el);
        styles.set(el, s);
      }
      return s;
    },

    parseColor(v: string): Rgba | undefined {
      const m =
        /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(
          v.trim(),
        );
      if (!m) return undefined; // color(), oklch()…: unknown, so never a reason to hide
      const alpha = m[4] === undefined ? 1 : parseFloat(m[4]) / (m[4].endsWith('%') ? 100 : 1);
      return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]), a: alpha };
    },

    parentOf(node: Node): Element | null {
      return (
        node.parentElement ?? (node.parentNode instanceof ShadowRoot ? node.parentNode.host : null)
      );
    },

    // The colour painted behind `el`'s text, composited up the ancestor chain; "unknown"
    // when an image or gradient is in the way (then the colour test cannot hide anything).
    backgroundOf(el: Element): Rgba | 'unknown' {
      const chain: Element[] = [];
      let below: Rgba | 'unknown' = { r: 255, g: 255, b: 255, a: 1 }; // the default canvas
      for (let a: Element | null = el; a; a = h.parentOf(a)) {
        const known = backgrounds.get(a);
        if (known) {
          below = known;
          break;
        }
        chain.push(a);
      }
      for (let i = chain.length - 1; i >= 0; i--) {
        const a = chain[i] as Element;
        const s = h.styleOf(a);
        const own = h.parseColor(s.backgroundColor);
        if (s.backgroundImage !== 'none') below = 'unknown';
        else if (own && own.a >= 0.99) below = own;
        else if (own && own.a > 0 && below !== 'unknown') {
          const k = own.a;
          below = {
            r: own.r * k + below.r * (1 - k),
            g: own.g * k + below.g * (1 - k),
            b: own.b * k + below.b * (1 - k),
            a: 1,
          };
        }
        backgrounds.set(a, below);
      }
      return below;
    },

    // Subtree test: true when nothing inside `el` is visible (children cannot undo it).
    isHiddenBox(el: Element): boolean {
      const cached = hiddenBox.get(el);
      if (cached !== undefined) return cached;
      const hidden = h.computeHiddenBox(el, false);
      hiddenBox.set(el, hidden);
      return hidden;
    },

    computeHiddenBox(el: Element, isField: boolean): boolean {
      const name = el.localName;
      if ((SKIP.has(name) && !isField) || el.hasAttribute('hidden')) return true;
      if ((el.getAttribute('aria-hidden') ?? '').trim().toLowerCase() === 'true') return true;
      const up = el.parentElement;
      if (up?.localName === 'details' && !up.hasAttribute('open') && name !== 'summary') {
        return true;
      }
      const s = h.styleOf(el);
      if (s.display === 'none' || s.contentVisibility === 'hidden') return true;
      if (parseFloat(s.opacity) < 0.05) return true;
      if (/opacity\(\s*0*(\.0\d*)?%?\s*\)/.test(s.filter)) return true; // filter: opacity(0)
      if (s.display === 'contents') return false; // no box of its own; its children are judged
      if (el.getClientRects().length === 0) return true; // not rendered (e.g. unslotted)
      const r = el.getBoundingClientRect();
      if (s.display !== 'inline' && r.width === 0 && r.height === 0) return true;
      if (r.width <= 1 && s.overflowX !== 'visible') return true;
      if (r.height <= 1 && s.overflowY !== 'visible') return true;
      if (parseFloat(s.textIndent) <= -999) return true; // the classic image-replacement hide
      if (s.position === 'absolute' || s.position === 'fixed') {
        const clip = /^rect\(([^)]*)\)$/.exec(s.clip);
        const edges = clip?.[1]?.split(/[\s,]+/).map(parseFloat) ?? [];
        const [top = NaN, right = NaN, bottom = NaN, left = NaN] = edges;
        if (right - left <= 1 || bottom - top <= 1) return true;
      }
      const cp = s.clipPath;
      const inset = /^inset\(\s*([\d.]+)%/.exec(cp);
      if (inset && parseFloat(inset[1] ?? '0') >= 50) return true;
      if (/^(circle|ellipse)\(\s*0(px|%)?[\s)]/.test(cp)) return true;
      if (s.position === 'fixed') {
        return (
          r.right <= 0 || r.bottom <= 0 || r.left >= view.innerWidth || r.top >= view.innerHeight
        );
      }
      const x = r.left + view.scrollX;
      const y = r.top + view.scrollY;
      const page = h.extent();
      return x + r.width <= page.minX || y + r.height <= 0 || x >= page.width || y >= page.height;
    },

    // The document's scrollable area, read once (the walk never changes layout). RTL pages
    // scroll into negative x, so their left edge is below zero.
    extent(): { minX: number; width: number; height: number } {
      if (!pageExtent) {
        const root = doc.documentElement;
        const rtl = h.styleOf(root).direction === 'rtl';
        const minX = rtl ? -(root.scrollWidth - root.clientWidth) : 0;
        pageExtent = { minX, width: root.scrollWidth, height: root.scrollHeight };
      }
      return pageExtent;
    },

    // Text test on the text's own element: inherited properties children CAN override.
    isHiddenInk(el: Element): boolean {
      const cached = hiddenInk.get(el);
      if (cached !== undefined) return cached;
      const s = h.styleOf(el);
      let hidden =
        s.visibility === 'hidden' || s.visibility === 'collapse' || parseFloat(s.fontSize) <= 1;
      if (!hidden) {
        const fill =
          h.parseColor(s.getPropertyValue('-webkit-text-fill-color')) ?? h.parseColor(s.color);
        if (fill && fill.a < 0.05) {
          let clipped = false; // gradient text: transparent fill over background-clip:text
          for (let a: Element | null = el; a && !clipped; a = h.parentOf(a)) {
            const sa = h.styleOf(a);
            const clips = [sa.backgroundClip, sa.getPropertyValue('-webkit-background-clip')];
            clipped = clips.includes('text');
          }
          hidden = !clipped;
        } else if (fill) {
          const bg = h.backgroundOf(el);
          hidden =
            bg !== 'unknown' &&
            Math.max(Math.abs(fill.r - bg.r), Math.abs(fill.g - bg.g), Math.abs(fill.b - bg.b)) <=
              12;
        }
      }
      hiddenInk.set(el, hidden);
      return hidden;
    },

    ancestryVisible(el: Element | null): boolean {
      for (let a = el; a; a = h.parentOf(a)) if (h.isHiddenBox(a)) return false;
      return true;
    },

    // Visible text under `root` (only inside `range` when given), with light structure,
    // stopping (truncated) at `cap` characters.
    walk(root: Node, cap: number, range?: Range): Piece {
      const w = { out: '', truncated: false, breaks: 0, sep: '', prefix: '', lists: 0, steps: 0 };
      const out = {
        append(s: string): void {
          const room = cap - w.out.length;
          if (s.length > room) {
            w.out += s.slice(0, room);
            w.truncated = true;
          } else w.out += s;
        },
        block(lines: number): void {
          if (w.out) w.breaks = Math.max(w.breaks, lines);
          w.sep = '';
        },
        cell(): void {
          if (w.out && !w.breaks) w.sep = ' | ';
        },
        text(raw: string, preserve: boolean): void {
          let t = preserve ? raw.replace(/\r\n?/g, '\n') : raw.replace(/\s+/g, ' ');
          if (!preserve && t.startsWith(' ') && w.out && !w.breaks && !w.sep) w.sep = ' ';
          if (!preserve) t = t.trim();
          if (!t) return;
          const lead = w.out ? (w.breaks ? '\n'.repeat(w.breaks) : w.sep) : '';
          out.append(lead + w.prefix + t);
          w.breaks = 0;
          w.prefix = '';
          w.sep = !preserve && /\s$/.test(raw) ? ' ' : '';
        },
      };
      const tree = {
        visitText(node: Text): void {
          const el = h.parentOf(node);
          if (!el || h.isHiddenInk(el)) return;
          if (el.localName === 'details' && !el.hasAttribute('open')) return; // closed body
          let data = node.data;
          if (range) {
            const end = node === range.endContainer ? range.endOffset : data.length;
            const start = node === range.startContainer ? range.startOffset : 0;
            data = data.slice(start, end);
          }
          out.text(data, /^(pre|break-spaces)/.test(h.styleOf(el).whiteSpace));
        },
        shape(el: Element, entering: boolean): void {
          const name = el.localName;
          if (name === 'br') {
            if (!entering) out.block(Math.min(2, w.breaks + 1));
            return;
          }
          const display = h.styleOf(el).display;
          if (display === 'table-cell') {
            if (!entering) out.cell();
            return;
          }
          if (display.startsWith('inline') || display === 'contents') return;
          if (name === 'ul' || name === 'ol') w.lists += entering ? 1 : -1;
          out.block(TWO_LINES.has(name) ? 2 : 1);
          if (!entering) return;
          if (name === 'li' || (display === 'list-item' && name !== 'summary')) {
            w.prefix = '  '.repeat(Math.max(0, w.lists - 1)) + '- ';
          } else if (/^h[1-6]$/.test(name)) w.prefix = '#'.repeat(Number(name[1])) + ' ';
        },
        enter(n: Node): void {
          if (n.nodeType === Node.TEXT_NODE) return tree.visitText(n as Text);
          const el = n as Element;
          tree.shape(el, true);
          if (el.shadowRoot && !range) tree.walkTree(el.shadowRoot); // open shadow roots only
        },
        walkTree(top: Node): void {
          const filter = {
            acceptNode(n: Node): number {
              if (range && !range.intersectsNode(n)) return NodeFilter.FILTER_REJECT;
              if (n.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
              return h.isHiddenBox(n as Element)
                ? NodeFilter.FILTER_REJECT
                : NodeFilter.FILTER_ACCEPT;
            },
          };
          const walker = doc.createTreeWalker(
            top,
            NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT,
            filter,
          );
          // Iterative depth-first walk with enter/leave events: no recursion depth limit.
          for (;;) {
            if (w.truncated || (++w.steps % 256 === 0 && Date.now() - started > BUDGET_MS)) {
              w.truncated = true;
              return;
            }
            if (walker.firstChild()) {
              tree.enter(walker.currentNode);
              continue;
            }
            for (;;) {
              const cur = walker.currentNode;
              if (cur === top) return;
              if (cur.nodeType === Node.ELEMENT_NODE) tree.shape(cur as Element, false);
              if (walker.nextSibling()) {
                tree.enter(walker.currentNode);
                break;
              }
              if (!walker.parentNode()) return;
            }
          }
        },
      };
      if (root.nodeType === Node.TEXT_NODE) tree.visitText(root as Text);
      else tree.walkTree(root);
      return { text: w.out.replace(/[ \t]+\n/g, '\n').trim(), truncated: w.truncated };
    },

    readSelection(): (Piece & { raw: number }) | undefined {
      const field = doc.activeElement;
      const textTypes = ['text', 'search', 'url', 'email', 'tel', ''];
      if (
        (field instanceof HTMLTextAreaElement ||
          (field instanceof HTMLInputElement && textTypes.includes(field.type))) &&
        field.selectionStart !== null &&
        field.selectionEnd !== null &&
        field.selectionEnd > field.selectionStart &&
        !h.computeHiddenBox(field, true) &&
        !h.isHiddenInk(field) &&
        h.ancestryVisible(h.parentOf(field))
      ) {
        // The user's own selection in a (never password) field is the one field read.
        const picked = field.value.slice(field.selectionStart, field.selectionEnd);
        return {
          text: picked.slice(0, maxChars),
          truncated: picked.length > maxChars,
          raw: picked.length,
        };
      }
      const sel = view.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return undefined;
      const parts: string[] = [];
      let truncated = false;
      let used = 0;
      for (let i = 0; i < sel.rangeCount && !truncated; i++) {
        const range = sel.getRangeAt(i);
        const root = range.commonAncestorContainer;
        const holder = root.nodeType === Node.ELEMENT_NODE ? (root as Element) : h.parentOf(root);
        if (!h.ancestryVisible(holder)) continue;
        const part = h.walk(root, Math.max(0, maxChars - used), range);
        if (part.text) parts.push(part.text);
        used += part.text.length + 1;
        truncated = part.truncated;
      }
      const text = parts.join('\n').slice(0, maxChars);
      return text ? { text, truncated, raw: sel.toString().length } : undefined;
    },
  };

  const selection = h.readSelection();
  if (options.selectionOnly) {
    const text = selection?.text ?? '';
    const truncated = selection?.truncated ?? false;
    const totalChars = truncated ? Math.max(text.length + 1, selection?.raw ?? 0) : text.length;
    return {
      ...base,
      text,
      truncated,
      totalChars,
      kind: 'html',
      ...(selection ? { selection: text } : {}),
    };
  }
  const page = h.ancestryVisible(body) ? h.walk(body, maxChars) : { text: '', truncated: false };
  let totalChars = page.text.length;
  if (page.truncated) {
    // Upper-bound estimate from the raw text: the walk stopped at the cap on purpose.
    let junk = 0;
    for (const el of Array.from(body.querySelectorAll('script,style,noscript'))) {
      junk += (el.textContent ?? '').length;
    }
    const raw = (body.textContent ?? '').replace(/\s+/g, ' ').length - junk;
    totalChars = Math.max(page.text.length + 1, raw);
  }
  return {
    ...base,
    text: page.text,
    truncated: page.truncated,
    totalChars,
    kind: 'html',
    ...(selection ? { selection: selection.text } : {}),
  };
}
