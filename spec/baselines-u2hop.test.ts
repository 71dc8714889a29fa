/**
 * U2-Hop: its analytic gradient ∂L/∂W = β (u ȳᵀ + v xᵀ) against central finite differences,
 * W = I reproducing M-Hop, and training (Adam on the cross-entropy) lowering the loss.
 */
import { describe, expect, it } from 'vitest';
import { mhopRetrieve } from '../src/baselines/mhop.ts';
import { identityMap, u2LossAndGradient, u2Probs } from '../src/baselines/u2hop.ts';
import { trainU2, u2hopMethod } from '../src/baselines/u2hop-train.ts';
import { createInstance } from '../src/baselines/instance.ts';
import { DomainError, ShapeError } from '../src/errors.ts';
import { createRng } from '../src/random/rng.ts';
import { biased } from '../src/variants/index.ts';

const rng = createRng(8);
const rand = (n: number, d: number) => Array.from({ length: n }, () => Array.from({ length: d }, () => 2 * rng.uniform() - 1));

describe('the U2-Hop gradient', () => {
  it('matches central finite differences of L at random W', () => {
    for (let t = 0; t < 10; t++) {
      const n = 2 + rng.int(5);
      const d = 1 + rng.int(5);
      const memories = rand(n, d);
      const query = rand(1, d)[0];
      const target = rng.int(n);
      const w = Float64Array.from({ length: d * d }, () => rng.normal());
      const model = { d, w, beta: 0.3 + rng.uniform() };
      const { grad } = u2LossAndGradient(memories, query, target, model);
      const h = 1e-6;
      for (let j = 0; j < d * d; j++) {
        const at = (delta: number) => {
          const w2 = Float64Array.from(w);
          w2[j] += delta;
          return u2LossAndGradient(memories, query, target, { ...model, w: w2 }).loss;
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs(grad[j] - fd)).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
      }
    }
  });

  it('the loss is −log p_t of u2Probs', () => {
    const memories = rand(4, 3);
    const query = rand(1, 3)[0];
    const model = { d: 3, w: Float64Array.from({ length: 9 }, () => rng.normal()), beta: 1.3 };
    const p = u2Probs(memories, query, model);
    expect(u2LossAndGradient(memories, query, 2, model).loss).toBeCloseTo(-Math.log(p[2]), 12);
  });

  it('rejects a model of the wrong size and bad targets', () => {
    const memories = rand(3, 2);
    expect(() => u2LossAndGradient(memories, [0, 0], 0, { d: 3, w: identityMap(3), beta: 1 })).toThrow(ShapeError);
    expect(() => u2LossAndGradient(memories, [0, 0], 3, { d: 2, w: identityMap(2), beta: 1 })).toThrow(DomainError);
    expect(() => u2LossAndGradient(memories, [0, 0], 0, { d: 2, w: new Float64Array(3), beta: 1 })).toThrow(ShapeError);
    expect(() => u2LossAndGradient(memories, [0, 0], 0, { d: 2, w: identityMap(2), beta: 0 })).toThrow(DomainError);
  });
});

describe('U2-Hop with W = I', () => {
  it('is M-Hop with the same β, bit for bit', () => {
    const memories = rand(5, 4);
    const query = rand(1, 4)[0];
    expect(u2Probs(memories, query, { d: 4, w: identityMap(4), beta: 0.9 })).toEqual(mhopRetrieve(memories, query, 0.9).probs);
  });
});

describe('training U2-Hop', () => {
  const d = 6;
  const memories = rand(8, d).map((m) => m.map((v) => (v + 1) / 2));
  const variant = biased([0.4, -0.4, 0.4, -0.4, 0.4, -0.4], 0.05);
  const instance = createInstance(memories, variant, 128, 2);

  it('lowers the cross-entropy from W = I, deterministically for a seed', () => {
    const a = trainU2(memories, instance.train, { epochs: 60, seed: 1 });
    expect(a.losses).toHaveLength(61);
    expect(a.finalLoss).toBeLessThan(0.5 * a.losses[0]);
    const b = trainU2(memories, instance.train, { epochs: 60, seed: 1 });
    expect(b.model.w).toEqual(a.model.w);
  });

  it('the Method retrieves with the trained W', () => {
    const retrieve = u2hopMethod({ epochs: 60 }).prepare({ ...instance, seed: 1 });
    const { model } = trainU2(memories, instance.train, { epochs: 60, seed: 1 });
    const q = instance.train.queries[0];
    expect(retrieve(q).probs).toEqual(u2Probs(memories, q, model));
  });

  it('rejects a bad budget', () => {
    expect(() => trainU2(memories, instance.train, { epochs: 0 })).toThrow(DomainError);
    expect(() => trainU2(memories, instance.train, { lr: 0 })).toThrow(DomainError);
    expect(() => trainU2(memories, instance.train, { batchSize: 1.5 })).toThrow(DomainError);
    expect(() => u2hopMethod({ beta: -1 })).toThrow(DomainError);
  });
});
