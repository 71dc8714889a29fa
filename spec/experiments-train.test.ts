/** The harness's fast A-Hop path equals the reference: training bit for bit, retrieval exactly. */
import { describe, expect, it } from 'vitest';
import { AHOP_VARIANTS, ahopMethod } from '../src/baselines/ahop-methods.ts';
import { ahopRow } from '../src/experiments/ahop-family.ts';
import { FeatureCache } from '../src/experiments/features.ts';
import { buildExperiment } from '../src/experiments/instance.ts';
import { trainFast } from '../src/experiments/train-fast.ts';
import { trainOnPairs } from '../src/train/train.ts';

const exp = buildExperiment({ kind: 'synthetic', patterns: 'uniform', n: 7, d: 6 }, 'composed', 0.4, 3, { trainPairs: 20, testQueries: 9 });
const budget = { epochs: 3, lr: 0.1, batchSize: 8 };

describe('train-fast', () => {
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
