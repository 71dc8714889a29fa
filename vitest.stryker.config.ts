/**
 * The tests Stryker runs against each mutant (npm run mutation): the specs and properties of the
 * reference's math and the baselines. Left out: gpu/ (backends are not the mutated code), the CLI
 * and conformance-file fuzzers, the experiment runners and the examples (slow, and they reach the
 * math only through code that other tests already cover).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.test.ts', 'properties/**/*.test.ts'],
    exclude: [
      'spec/cli.test.ts',
      'spec/cli-inputs.test.ts',
      'spec/baselines-conformance.test.ts',
      'spec/determinism.test.ts',
      'spec/conformance.test.ts',
      'spec/layer-conformance.test.ts',
      'spec/examples.test.ts',
      'spec/reproduce.test.ts',
      'spec/reproduce-only.test.ts',
      'spec/package-consumer.test.ts',
      'spec/package-entry.test.ts',
      'spec/experiments-*.test.ts',
      'properties/fuzz-cli.test.ts',
      'properties/fuzz-conformance.test.ts',
    ],
    // Instrumented code on busy cores runs several times slower than a plain test run.
    testTimeout: 600_000,
    // Any test that does spawn the CLI runs the sandbox's sources, never a dist/ built elsewhere.
    env: { AHOP_FROM_SOURCE: '1' },
    hookTimeout: 120_000,
  },
});
