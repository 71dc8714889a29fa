/**
 * One experimental instance: the memories, the variant, training pairs and fresh test queries,
 * built once per (task, family, δ, seed) and handed unchanged to every method, so the methods of
 * a cell are compared on exactly the same data.
 */
import type { Instance } from '../baselines/method.ts';
import { samplePairs, type Pairs } from '../train/pairs.ts';
import { biasSigns, variantAt, type Family, type Range } from './difficulty.ts';
import { syntheticMemories, SYNTHETIC_RANGE, type PatternKind } from './memories.ts';
import { MNIST_RANGE, mnistMemories } from './mnist.ts';
import { streamRng } from './seeds.ts';

/** Where the memories come from. */
export type Task = { kind: 'synthetic'; patterns: PatternKind; n: number; d: number } | { kind: 'mnist'; n: number; pool: number };

export interface Sizes {
  /** Training pairs (x, source) drawn from the variant. */
  trainPairs: number;
  /** Fresh evaluation queries from the same variant. */
  testQueries: number;
}

export interface Experiment {
  instance: Instance;
  test: Pairs;
  range: Range;
  /** Class label of each memory (MNIST only), for the figures. */
  labels?: number[];
}

export function taskMemories(task: Task, seed: number): { memories: number[][]; range: Range; labels?: number[] } {
  const rng = streamRng(seed, 'memories');
  if (task.kind === 'synthetic') return { memories: syntheticMemories(task.patterns, task.n, task.d, rng), range: SYNTHETIC_RANGE };
  const m = mnistMemories(task.n, task.pool, rng);
  return { memories: m.memories, range: MNIST_RANGE, labels: m.labels };
}

export function buildExperiment(task: Task, family: Family, delta: number, seed: number, sizes: Sizes): Experiment {
  const { memories, range, labels } = taskMemories(task, seed);
  const d = memories[0].length;
  const variant = variantAt(family, delta, range, biasSigns(d, streamRng(seed, 'bias')));
  const train = samplePairs(memories, variant, sizes.trainPairs, streamRng(seed, 'train'));
  const test = samplePairs(memories, variant, sizes.testQueries, streamRng(seed, 'test'));
  return { instance: { memories, train, variant, seed }, test, range, labels };
}
