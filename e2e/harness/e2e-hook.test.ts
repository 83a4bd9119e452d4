import { describe, expect, it } from 'vitest';
import {
  E2E_CONTEXT_CLICK,
  withE2eContextClicks,
  type E2eHookApi,
} from '../../extension/adapters/browser/context-menu-adapter';
import type { MenuClick, MenuTab } from '../../extension/core/background/context-menu';
import type { BackgroundAdapters } from '../../extension/core/background/start-background';

// The e2e-only context-menu hook (NOOK_E2E=1 builds): only Nook's own extension pages may
// use it, it runs the very listener the real contextMenus.onClicked gets, and it passes on
// nothing but the click fields. That store builds lack it is checked on the built bundles
// (e2e/selection-hook.e2e.test.ts).

const ID = 'nook@nook.invalid';
const OWN = 'moz-extension://6b1f6a52/';

function setup() {
  const calls: { click: MenuClick; tab: MenuTab | undefined }[] = [];
  let real: ((click: MenuClick, tab: MenuTab | undefined) => void) | undefined;
  let onMessage: Parameters<E2eHookApi['runtime']['onMessage']['addListener']>[0] | undefined;
  const port = {
    onClicked(l: (click: MenuClick, tab: MenuTab | undefined) => void) {
      real = l;
    },
  } as unknown as NonNullable<BackgroundAdapters['contextMenu']>;
  const api: E2eHookApi = {
    runtime: {
      id: ID,
      getURL: (p) => `${OWN}${p}`,
      onMessage: { addListener: (l) => (onMessage = l) },
    },
    tabs: {
      get: (tabId) =>
        Promise.resolve({ id: tabId, windowId: 3, title: 'T', url: 'http://127.0.0.1/a.html' }),
    },
  };
  const hooked = withE2eContextClicks(port, api);
  const listener = (click: MenuClick, tab: MenuTab | undefined) => calls.push({ click, tab });
  hooked.onClicked(listener);
  const send = (msg: unknown, sender: { id?: string; url?: string }) => onMessage!(msg, sender);
  return { calls, send, isReal: () => real === listener };
}

const click = (extra: object = {}) => ({
  type: E2E_CONTEXT_CLICK,
  info: { menuItemId: 'nook-explain', selectionText: 'hi', frameId: 0, ...extra },
  tabId: 7,
});

describe('the e2e context-menu hook', () => {
  it('runs the same listener the real menu calls, with the tab looked up', async () => {
    const h = setup();
    expect(h.isReal()).toBe(true);
    const reply = await h.send(click(), { id: ID, url: `${OWN}sidepanel.html` });
    expect(reply).toEqual({ ok: true });
    expect(h.calls).toEqual([
      {
        click: { menuItemId: 'nook-explain', selectionText: 'hi', frameId: 0 },
        tab: { id: 7, windowId: 3, title: 'T', url: 'http://127.0.0.1/a.html' },
      },
    ]);
  });

  it('ignores messages from web pages, content scripts and other extensions', async () => {
    const h = setup();
    const senders = [
      { id: ID, url: 'http://127.0.0.1/page.html' }, // a content script
      { id: 'other@ext', url: 'moz-extension://other/page.html' },
      { id: 'other@ext', url: `${OWN}sidepanel.html` },
      { id: ID },
      {},
    ];
    for (const sender of senders) expect(h.send(click(), sender)).toBeUndefined();
    expect(h.calls).toEqual([]);
  });

  it('ignores other messages and malformed clicks, and drops unknown fields', async () => {
    const h = setup();
    const own = { id: ID, url: `${OWN}options.html` };
    for (const msg of [
      null,
      'x',
      { type: 'nook:lock' },
      { ...click(), tabId: '7' },
      { ...click(), info: undefined },
      click({ menuItemId: 5 }),
    ]) {
      expect(h.send(msg, own)).toBeUndefined();
    }
    await h.send(click({ editable: true, srcUrl: 'javascript:alert(1)' }), own);
    expect(Object.keys(h.calls[0]!.click).sort()).toEqual([
      'frameId',
      'menuItemId',
      'selectionText',
    ]);
  });
});
