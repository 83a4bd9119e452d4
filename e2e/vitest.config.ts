import '../scripts/node20-polyfills.ts';
import { defineConfig } from 'vitest/config';

/** Browser e2e: Puppeteer drives the built extension (.output/) in Debian's Chromium. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One browser at a time: the CI machine has two cores.
    fileParallelism: false,
  },
});
