import { CHROME_BUILD } from './harness/browser';
import { captureExtensionRequests, clickMenu } from './pages/context-menu';
import { selectionJourney } from './pages/selection-journey';
import { chromium } from './pages/targets';

// The selection journey (e2e/pages/selection-journey.ts) in Chromium, on the store build:
// each click runs the extension's real contextMenus.onClicked listener, dispatched in its
// service worker, and every request of every extension context is captured through the
// DevTools protocol for the no-telemetry proof.
selectionJourney({
  target: chromium,
  build: () => Promise.resolve(CHROME_BUILD),
  click: (ext, _panel, id, url, extra) =>
    clickMenu(ext.browser, new URL(ext.origin).host, id, url, extra),
  restrictedUrl: 'chrome://version/',
  capture: (ext) => captureExtensionRequests(ext.browser, new URL(ext.origin).host),
});
