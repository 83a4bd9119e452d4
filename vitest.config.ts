import './scripts/node20-polyfills.ts';
import { defineConfig } from 'vitest/config';

/** Unit and relay tests. The browser e2e suite has its own config in e2e/. */
export default defineConfig({
  test: {
    include: [
      'extension/**/*.test.{ts,tsx}',
      'shared/**/*.test.ts',
      'relay/**/*.test.ts',
      'scripts/**/*.test.ts',
      'e2e/harness/**/*.test.ts',
      'e2e/doubles/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/*.integration.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
