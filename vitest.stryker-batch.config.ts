/**
 * The tests Stryker runs against the batched kernels' mutants (stryker.batch.config.mjs): those of
 * vitest.stryker.config.ts but spec/batch-pool.test.ts, whose worker threads cannot run Stryker's
 * instrumented source (see stryker.batch.config.mjs).
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.stryker.config.ts';

export default mergeConfig(base, defineConfig({ test: { exclude: ['spec/batch-pool.test.ts'] } }));
