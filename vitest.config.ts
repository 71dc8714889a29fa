import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.test.ts', 'properties/**/*.test.ts', 'gpu/**/*.test.ts', 'backends/**/*.test.ts', 'tfjs/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // bin/ahop.js, spawned by the CLI tests, runs the TypeScript sources rather than a possibly stale dist/.
    env: { AHOP_FROM_SOURCE: '1' },
  },
});
