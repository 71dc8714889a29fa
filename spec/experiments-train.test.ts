/**
 * The harness's A-Hop path (one flat feature cache per cell, zero-copy row views) equals the
 * reference (sorting each query itself): training bit for bit, retrieval exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AHOP_VARIANTS, ahopMethod } from '../src/baselines/ahop-methods.ts';
import { ahopRow } from '../src/experiments/ahop-family.ts';
import { FeatureCache } from '../src/experiments/features.ts';
import { buildExperiment } from '../src/experiments/instance.ts';
import { trainFast } from '../src/experiments/train-fast.ts';
import { trainOnPairs } from '../src/train/train.ts';

const exp = buildExperiment({ kind: 'synthetic', patterns: 'uniform', n: 7, d: 6 }, 'composed', 0.4, 3, { trainPairs: 20, testQueries: 9 });
const budget = { epochs: 3, lr: 0.1, batchSize: 8 };

describe('training on the feature cache', () => {
  for (const v of AHOP_VARIANTS) {
    it(`matches trainOnPairs bit for bit (${v.name})`, () => {
      const o = { ...budget, footprint: v.footprint, bases: v.bases, seed: 5 };
      const ref = trainOnPairs(exp.instance.memories, exp.instance.train, o);
      const fast = trainFast(exp.instance.memories, exp.instance.train, o);
      expect(fast.params).toEqual(ref.params);
      expect(fast.losses).toEqual(ref.losses);
      expect(fast.finalLoss).toBe(ref.finalLoss);
    });
  }
});

describe('training on the feature cache, over random instances', () => {
  it('equals trainOnPairs bit for bit for every A-Hop row (fast-check, 10 instances)', () =>
    fc.assert(
      fc.property(
        fc.record({ seed: fc.nat({ max: 1e6 }), n: fc.integer({ min: 2, max: 9 }), d: fc.integer({ min: 1, max: 12 }), delta: fc.constantFrom(0.2, 0.5, 0.8), v: fc.constantFrom(...AHOP_VARIANTS) }),
        ({ seed, n, d, delta, v }) => {
          const e = buildExperiment({ kind: 'synthetic', patterns: 'uniform', n, d }, 'composed', delta, seed, { trainPairs: 12, testQueries: 1 });
          const o = { epochs: 4, lr: 0.1, batchSize: 5, footprint: v.footprint, bases: v.bases, seed };
          const ref = trainOnPairs(e.instance.memories, e.instance.train, o);
          const fast = trainFast(e.instance.memories, e.instance.train, o);
          expect(fast).toEqual(ref);
        },
      ),
      { seed: 11, numRuns: 10 },
    ));
});

describe('A-Hop rows on the feature cache', () => {
  for (const v of AHOP_VARIANTS) {
    it(`retrieveAll equals the registry's ${v.name} retriever`, () => {
      const cache = new FeatureCache(exp.instance.memories, { train: exp.instance.train, test: exp.test });
      const fitted = ahopRow(v, cache, budget).fitBatch(exp.instance);
      const reference = ahopMethod(v.name, { ...budget, footprint: v.footprint, bases: v.bases }).prepare(exp.instance);
      const all = fitted.retrieveAll();
      exp.test.queries.forEach((q, i) => {
        const r = reference(q);
        expect(all[i].probs).toEqual(r.probs);
        expect(all[i].retrieved).toEqual(r.retrieved);
        expect(fitted.retriever(q)).toEqual(r);
      });
    });
  }
});
