import '../../scripts/node20-polyfills.ts';
import { defineConfig } from 'vitest/config';

/**
 * Sandbox integration tests against a real Docker daemon and the real sandbox image:
 *   npx vitest run --config relay/sandbox/vitest.integration.config.ts
 * The global setup checks the daemon and builds (or reuses) the image unless
 * NOOK_SANDBOX_IMAGE names one. One fork: the tests share one daemon and time it.
 */
export default defineConfig({
  test: {
    include: ['relay/sandbox/**/*.integration.test.ts'],
    environment: 'node',
    globalSetup: ['relay/sandbox/integration-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
