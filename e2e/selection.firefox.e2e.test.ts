import { e2eBuild } from './harness/e2e-build';
import { clickMenuViaHook } from './pages/context-menu';
import { selectionJourney } from './pages/selection-journey';
import { firefox } from './pages/targets';

// The selection journey (e2e/pages/selection-journey.ts) in Debian's Firefox ESR. Firefox
// has no `contextMenus.onClicked.dispatch` and Puppeteer sees no background target there,
// so this runs the `NOOK_E2E=1` build (made on demand in `.output-e2e`): Nook's own panel
// page asks the background to run the same click listener the real menu calls. Firefox
// has no DevTools request capture, so the no-telemetry proof is skipped here (Chromium
// runs it).
selectionJourney({
  target: firefox,
  build: () => e2eBuild('firefox'),
  click: (_ext, panel, id, url, extra) => clickMenuViaHook(panel, id, url, extra),
  restrictedUrl: 'about:robots',
});
