/**
 * The short demo behind `ahop demo`: train A-Hop on a mixed
 * variant and compare its correct-retrieval accuracy with plain negative distance and the Bayes rule
 * on the same fresh queries.
 */
import { posterior } from '../bayes/posterior.ts';
import { retrieve } from '../hopfield/ahop.ts';
import { createRng } from '../random/rng.ts';
import { initialParams } from '../train/init.ts';
import { samplePairs } from '../train/pairs.ts';
import { train } from '../train/train.ts';
import { biased, masked, mixed, noisy } from '../variants/index.ts';
import type { Variant } from '../variants/variant.ts';
import { accuracy, nearestMemory } from './metrics.ts';

export interface DemoOptions {
  n: number;
  d: number;
  seed: number;
  epochs: number;
  trainPairs: number;
  testPairs: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

export const DEMO_DEFAULTS: DemoOptions = { n: 32, d: 32, seed: 0, epochs: 200, trainPairs: 512, testPairs: 1000 };

/** Memories uniform in [0, 1]^d; each query is masked, biased or noisy with equal probability. */
export function demoVariant(d: number): Variant {
  const bias = Array.from({ length: d }, (_, i) => (i % 2 === 0 ? 0.3 : -0.3));
  return mixed([
    { weight: 1 / 3, variant: masked(0.5, 0.05, 0, 1) },
    { weight: 1 / 3, variant: biased(bias, 0.1) },
    { weight: 1 / 3, variant: noisy(new Array<number>(d).fill(0.3)) },
  ]);
}

export interface DemoResult {
  ahop: number;
  distance: number;
  bayes: number;
  options: DemoOptions;
}

export function runDemo(options: Partial<DemoOptions> = {}): DemoResult {
  const o = { ...DEMO_DEFAULTS, ...options };
  const rng = createRng(o.seed);
  const memories = Array.from({ length: o.n }, () => Array.from({ length: o.d }, () => rng.uniform()));
  const variant = demoVariant(o.d);
  const trained = train(memories, variant, { epochs: o.epochs, pairs: o.trainPairs, seed: o.seed + 1, onEpoch: o.onEpoch });
  const test = samplePairs(memories, variant, o.testPairs, createRng(o.seed + 2));
  const hop = (params: typeof trained.params) =>
    accuracy(test.queries.map((q) => nearestMemory(memories, retrieve(memories, q, params).retrieved)), test.targets);
  return {
    ahop: hop(trained.params),
    distance: hop(initialParams(o.d)),
    bayes: accuracy(test.queries.map((q) => posterior(variant, memories, q).argmax), test.targets),
    options: o,
  };
}
