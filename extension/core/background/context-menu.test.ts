import { describe, expect, it } from 'vitest';
import type { PageExtract } from '../page/types';
import {
  handleMenuClick,
  MENU_NOTICES,
  PAGE_TEXT_MAX,
  userPromptMenu,
  type ContextMenuPorts,
  type PendingContext,
} from './context-menu';
import { fillPrompt } from './prompts';

const page = (over: Partial<PageExtract> = {}): PageExtract => ({
  title: 'Page',
  url: 'https://example.test/a',
  text: 'visible text',
  truncated: false,
  totalChars: 12,
  kind: 'html',
  ...over,
});

function ports(extract: ContextMenuPorts['extract']) {
  const stored: PendingContext[] = [];
  const order: string[] = [];
  const p: ContextMenuPorts = {
    openPanel: async () => void order.push('open'),
    extract: (...a) => {
      order.push('extract');
      return extract(...a);
    },
    fileAccess: async () => false,
    putPending: async (x) => void stored.push(x),
    newId: () => 'p1',
    now: () => 1,
  };
  return { p, stored, order };
}
const tab = (url: string) => ({ id: 1, windowId: 2, url, title: 'Tab' });

describe('context menu clicks', () => {
  it('opens the panel before reading the page, and attaches the whole page for Summarize', async () => {
    const { p, order } = ports(async () => page());
    const r = await handleMenuClick(
      p,
      { menuItemId: 'nook-summarize-page' },
      tab('https://example.test/a'),
    );
    expect(order).toEqual(['open', 'extract']);
    expect(r).toMatchObject({
      prompt: 'Summarize this page.',
      attachment: { source: 'page', text: 'visible text' },
    });
  });

  it('refuses browser pages and PDFs with a message, without injecting', async () => {
    const { p, order } = ports(async () => page());
    const chrome = await handleMenuClick(
      p,
      { menuItemId: 'nook-chat-page' },
      tab('chrome://settings'),
    );
    expect(chrome?.notice).toMatch(/browser's own pages/);
    const pdf = await handleMenuClick(
      p,
      { menuItemId: 'nook-summarize-page' },
      tab('https://x.test/doc.pdf'),
    );
    expect(pdf?.notice).toMatch(/PDF/);
    expect(order).toEqual(['open', 'open']);
  });

  it('a page that blocks scripting: page actions say so; a selection falls back with a warning', async () => {
    const { p } = ports(async () => {
      throw new Error('Cannot access contents of the page');
    });
    const pageR = await handleMenuClick(
      p,
      { menuItemId: 'nook-chat-page' },
      tab('https://x.test/'),
    );
    expect(pageR).toMatchObject({ notice: MENU_NOTICES.blocked });
    expect(pageR?.attachment).toBeUndefined();
    const sel = await handleMenuClick(
      p,
      { menuItemId: 'nook-ask', selectionText: 'hello there', frameId: 5 },
      tab('https://x.test/'),
    );
    expect(sel).toMatchObject({
      notice: MENU_NOTICES.selectionFallback,
      attachment: { text: 'hello there' },
    });
  });

  it('a 5 MB selection is cut to the cap with a note; a hanging page times out', async () => {
    const huge = 'a'.repeat(5 * 1024 * 1024);
    const { p } = ports(async () => {
      throw new Error('blocked');
    });
    const r = await handleMenuClick(
      p,
      { menuItemId: 'nook-ask', selectionText: huge },
      tab('https://x.test/'),
    );
    expect(r?.attachment?.text.length).toBe(PAGE_TEXT_MAX);
    expect(r?.attachment?.truncated).toBe(true);
  });

  it('reads the selection in the frame it was made in, and passes user prompts on', async () => {
    let frame = -1;
    const { p } = ports(async (_t, f) => {
      frame = f;
      return page({ selection: 'in frame' });
    });
    const r = await handleMenuClick(
      p,
      { menuItemId: 'nook-prompt:abc', frameId: 9 },
      tab('https://x.test/'),
    );
    expect(frame).toBe(9);
    expect(r).toMatchObject({ userPromptId: 'abc', attachment: { text: 'in frame' } });
    expect(
      await handleMenuClick(p, { menuItemId: 'other-ext' }, tab('https://x.test/')),
    ).toBeUndefined();
  });
});

describe('prompt placeholders', () => {
  it('never copies the selection into the instruction; {{selection}} refers to the quote', () => {
    expect(fillPrompt('Rewrite {{selection}} politely')).toBe(
      'Rewrite the selected text (quoted below) politely',
    );
    expect(fillPrompt('Fix grammar')).toBe('Fix grammar');
  });
  it('builds a "My prompts" submenu only when there are prompts', () => {
    expect(userPromptMenu([])).toEqual([]);
    expect(userPromptMenu([{ id: 'x', name: 'Polite' }]).map((i) => i.id)).toEqual([
      'nook-my-prompts',
      'nook-prompt:x',
    ]);
  });
});
