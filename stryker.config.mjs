// Mutation testing of the reference's math and the baselines (npm run mutation; docs/mutation.md).
// One module at a time (docs/mutation.md), each with its own incremental file:
//   npm run mutation -- --mutate 'src/numeric/**/*.ts' --incrementalFile reports/incremental/numeric.json
// The incremental files are committed: they keep the result of every mutant whose code and covering
// tests did not change, so a rerun after a change tests only what the change touched.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  coverageAnalysis: 'perTest',
  plugins: ['@stryker-mutator/vitest-runner', './stryker/error-messages.mjs'],
  ignorers: ['error-messages'],
  mutate: [
    'src/similarity/**/*.ts',
    'src/variants/**/*.ts',
    'src/bayes/**/*.ts',
    'src/hopfield/**/*.ts',
    '!src/hopfield/batch-asm.ts',
    'src/train/**/*.ts',
    'src/numeric/**/*.ts',
    'src/baselines/**/*.ts',
  ],
  ignorePatterns: ['docs', 'bench', 'gpu', 'results', 'reports', '.scratch'],
  incremental: true,
  incrementalFile: 'reports/incremental/all.json',
  concurrency: 1,
  timeoutMS: 10_000,
  // The initial run of every covered test takes minutes on two shared cores.
  dryRunTimeoutMinutes: 60,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
