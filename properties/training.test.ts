/**
 * Training works: on a masked variant, Adam from the base-similarity initialisation lowers the
 * training loss, and the trained A-Hop is more accurate on fresh queries than the plain negative
 * distance it started from. The accuracy gap is judged with Hoeffding's bound for the mean of the
 * paired differences (each in [−1, 1]): P(mean − E ≥ t) ≤ exp(−n t² / 2).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { retrieve } from '../src/hopfield/ahop.ts';
import { createRng } from '../src/random/rng.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { initialParams } from '../src/train/init.ts';
import { samplePairs } from '../src/train/pairs.ts';
import { train, type TrainResult } from '../src/train/train.ts';
import { masked } from '../src/variants/index.ts';
import type { Variant } from '../src/variants/variant.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

const N = 16;
const D = 16;
const TEST = 1000;
const ALPHA = 1e-4;
const HOEFFDING = Math.sqrt((2 * Math.log(1 / ALPHA)) / TEST);

type Trainer = (memories: number[][], v: Variant, seed: number) => TrainResult;

const instance = fc.record({
  seed: fc.nat({ max: 1e6 }),
  rho: fc.integer({ min: 30, max: 60 }).map((r) => r / 100),
});

const trainingHelpsOnMasked = (trainer: Trainer) =>
  fc.property(instance, ({ seed, rho }) => {
    const rng = createRng(seed);
    const memories = Array.from({ length: N }, () => Array.from({ length: D }, () => rng.uniform()));
    const v = masked(rho, 0.05, 0, 1);
    const r = trainer(memories, v, seed);
    const test = samplePairs(memories, v, TEST, createRng(seed + 1));
    const correct = (p: AhopParams) => test.queries.map((q, i) => (retrieve(memories, q, p).source === test.targets[i] ? 1 : 0));
    const a = correct(r.params);
    const b = correct(initialParams(D));
    const gap = a.reduce((s: number, v, i) => s + v - b[i], 0) / TEST;
    return r.finalLoss < r.losses[0] && gap > HOEFFDING;
  });

const adam: Trainer = (m, v, seed) => train(m, v, { seed, epochs: 50, pairs: 256 });

describe('training', () => {
  it(`lowers the loss and beats plain distance on masked queries by more than the Hoeffding bound (α = ${ALPHA})`, () =>
    expectHolds(trainingHelpsOnMasked(adam), { numRuns: 4 }));
  it('… and a trainer that never leaves the initialisation is caught', () =>
    expectCounterexample(
      trainingHelpsOnMasked((m, v, seed) => {
        const r = train(m, v, { seed, epochs: 1, pairs: 16, lr: 1e-12 });
        return { ...r, params: initialParams(D) };
      }),
      { numRuns: 4 },
    ));
});
