import { describe, expect, it } from 'vitest';
import { classifyTab, explainTab, TAB_REASONS } from './classify-tab';

describe('classifyTab', () => {
  it.each([
    'https://example.com/article',
    'http://127.0.0.1:8080/page.html',
    'https://docs.example.org/file.pdf.html',
    'https://chrome.google.com/search',
  ])('%s is readable', (url) => {
    expect(classifyTab(url)).toBe('ok');
  });

  it.each([
    ['chrome://settings', 'browser-page'],
    ['edge://extensions', 'browser-page'],
    ['about:blank', 'browser-page'],
    ['about:addons', 'browser-page'],
    ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/sidepanel.html', 'extension-page'],
    ['moz-extension://1234-5678/options.html', 'extension-page'],
    ['https://chromewebstore.google.com/detail/x/abc', 'web-store'],
    ['https://chrome.google.com/webstore/detail/abc', 'web-store'],
    ['https://addons.mozilla.org/en-US/firefox/', 'web-store'],
    ['https://ADDONS.mozilla.org./en-US/', 'web-store'],
    ['https://microsoftedge.microsoft.com/addons/detail/x', 'web-store'],
    ['view-source:https://example.com/', 'view-source'],
    ['file:///home/me/notes.html', 'file-needs-permission'],
    ['data:text/html,<p>hi</p>', 'not-web'],
    ['ftp://example.com/x', 'not-web'],
    ['not a url', 'invalid-url'],
  ] as const)('%s is restricted (%s)', (url, reason) => {
    expect(classifyTab(url)).toBe('restricted');
    const v = explainTab(url);
    expect(v).toEqual({ status: 'restricted', reason, message: TAB_REASONS[reason] });
  });

  it.each([
    'https://example.com/report.pdf',
    'https://example.com/Report.PDF?download=1',
    'https://example.com/a%20b.pdf#page=2',
    'file:///home/me/paper.pdf',
    'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html',
  ])('%s is a PDF viewer tab with a clear message', (url) => {
    expect(classifyTab(url)).toBe('pdf');
    expect(explainTab(url)).toMatchObject({ reason: 'pdf', message: TAB_REASONS.pdf });
  });

  it('reads file:// pages once the user allowed file access', () => {
    expect(classifyTab('file:///home/me/notes.html', { fileAccess: true })).toBe('ok');
  });

  it('explains every reason in plain words, without jargon like "scripting"', () => {
    for (const message of Object.values(TAB_REASONS)) {
      expect(message.length).toBeGreaterThan(30);
      expect(message).not.toMatch(/scripting|executeScript|permission denied/i);
    }
  });
});
