import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.test.ts', 'properties/**/*.test.ts', 'gpu/**/*.test.ts', 'backends/**/*.test.ts', 'tfjs/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
