import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_CONTEXT_CLICK } from '../extension/adapters/browser/context-menu-adapter';
import { CHROME_BUILD } from './harness/browser';
import { e2eBuild, filesContaining } from './harness/e2e-build';
import { FIREFOX_BUILD } from './harness/firefox';

// The Firefox selection journey clicks the context menu through a test hook. It must exist
// only in NOOK_E2E=1 builds: the store builds (`npm run build`, what `npm run zip`
// packages) must not contain it, and the e2e build must.

describe('the e2e-only context-menu hook in the built bundles', () => {
  for (const build of [CHROME_BUILD, FIREFOX_BUILD]) {
    it(`is absent from the store build ${path.basename(build)}`, () => {
      expect(fs.existsSync(path.join(build, 'manifest.json')), `${build}: run npm run build`).toBe(
        true,
      );
      expect(filesContaining(build, E2E_CONTEXT_CLICK)).toEqual([]);
      expect(filesContaining(build, 'nook-e2e')).toEqual([]);
    });
  }

  it('is present in the NOOK_E2E=1 build', async () => {
    const build = await e2eBuild('firefox');
    expect(filesContaining(build, E2E_CONTEXT_CLICK).length).toBeGreaterThan(0);
  });
});
