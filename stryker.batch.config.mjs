// Mutation testing of the batched kernels (src/hopfield/batch*.ts; docs/mutation.md):
//   npx stryker run stryker.batch.config.mjs
// Stryker's instrumented code calls helpers that exist only in the instrumented module's scope,
// so the kernel source that batch-pool.ts ships to its worker threads cannot run instrumented: the
// workers die and the caller scores every chunk itself. spec/batch-pool.test.ts, which checks the
// workers themselves (and evaluates the shipped source), is therefore left out of this run; its
// verdicts come from `node stryker/verify-survivors.mjs`, which applies each mutant to the plain
// source and runs the tests with vitest.stryker.config.ts, that file included.
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'vitest.stryker-batch.config.ts' },
  mutate: ['src/hopfield/batch.ts', 'src/hopfield/batch-plus.ts', 'src/hopfield/batch-kernel.ts', 'src/hopfield/batch-pool.ts'],
  incrementalFile: 'reports/incremental/hopfield-batch.json',
  concurrency: 2,
};
