import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import {
  createBackgroundAdapters,
  type BackgroundBrowser,
} from '../adapters/browser/background-adapters';
import { startBackground } from '../core/background/start-background';

export default defineBackground({
  type: 'module',
  main() {
    // WXT types `browser` as Chrome's namespace; the adapter declares exactly what it uses.
    startBackground(createBackgroundAdapters(browser as unknown as BackgroundBrowser));
  },
});
