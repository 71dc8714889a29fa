/**
 * M-Hop: the single update against hand-computed and 64-digit values, the default β, the
 * fixed-point iteration, and the batched scorer that a benchmark row times.
 */
import { describe, expect, it } from 'vitest';
import { defaultBeta, mhopFixedPoint, mhopMethod, mhopRetrieve } from '../src/baselines/mhop.ts';
import { mhopScoreBatch } from '../src/baselines/mhop-batch.ts';
import { mhopExact } from '../src/conformance/kinds-baselines.ts';
import { DomainError, ShapeError } from '../src/errors.ts';
import { createRng } from '../src/random/rng.ts';
import { noisy } from '../src/variants/index.ts';

const rng = createRng(4);
const rand = (n: number, d: number) => Array.from({ length: n }, () => Array.from({ length: d }, () => 2 * rng.uniform() - 1));

describe('one M-Hop update', () => {
  it('p = softmax(β Ξ x), y = Ξᵀ p on a hand-computed case', () => {
    const memories = [
      [1, 0],
      [0, 1],
    ];
    // β = ln 3, x = (1, 0): logits β Ξ x = (ln 3, 0), so p = (3/4, 1/4).
    const r = mhopRetrieve(memories, [1, 0], Math.log(3));
    expect(r.probs[0]).toBeCloseTo(0.75, 15);
    expect(r.probs[1]).toBeCloseTo(0.25, 15);
    expect(r.retrieved[0]).toBeCloseTo(0.75, 15);
    expect(r.retrieved[1]).toBeCloseTo(0.25, 15);
  });

  it('agrees with the 64-digit computation to 1e-13 on random inputs', () => {
    for (let t = 0; t < 50; t++) {
      const memories = rand(1 + rng.int(6), 1 + rng.int(8));
      const query = rand(1, memories[0].length)[0];
      const beta = 0.1 + 3 * rng.uniform();
      const got = mhopRetrieve(memories, query, beta);
      const exact = mhopExact(memories, query, beta);
      exact.probs.forEach((p, k) => expect(Math.abs(got.probs[k] - p.toNumber())).toBeLessThan(1e-13));
      exact.retrieved.forEach((y, i) => expect(Math.abs(got.retrieved[i] - y.toNumber())).toBeLessThan(1e-13));
    }
  });

  it('the Method uses β = 1/√d by default', () => {
    const memories = rand(4, 9);
    const query = rand(1, 9)[0];
    expect(defaultBeta(9)).toBe(1 / 3);
    const r = mhopMethod().prepare({ memories, variant: noisy(new Array(9).fill(1)), train: { queries: [], targets: [] }, seed: 0 })(query);
    expect(r).toEqual(mhopRetrieve(memories, query, 1 / 3));
  });

  it('rejects bad β and shapes', () => {
    for (const beta of [0, -1, NaN, Infinity]) expect(() => mhopRetrieve([[1]], [1], beta)).toThrow(DomainError);
    expect(() => mhopRetrieve([[1, 2]], [1], 1)).toThrow(ShapeError);
    expect(() => mhopMethod({ beta: 0 })).toThrow(DomainError);
  });
});

describe('M-Hop iterated to a fixed point', () => {
  it('stops at x* = Ξᵀ softmax(β Ξ x*) and reports convergence', () => {
    const memories = rand(5, 6);
    const query = memories[2].map((v) => v + 0.1 * rng.normal());
    const r = mhopFixedPoint(memories, query, 8);
    expect(r.converged).toBe(true);
    const again = mhopRetrieve(memories, r.retrieved, 8);
    again.retrieved.forEach((v, i) => expect(v).toBeCloseTo(r.retrieved[i], 10));
  });

  it('one step is one plain update; maxSteps bounds the work', () => {
    const memories = rand(5, 6);
    const query = rand(1, 6)[0];
    const one = mhopFixedPoint(memories, query, 1, { maxSteps: 1 });
    expect(one.steps).toBe(1);
    expect({ probs: one.probs, retrieved: one.retrieved }).toEqual(mhopRetrieve(memories, query, 1));
    expect(() => mhopFixedPoint(memories, query, 1, { maxSteps: 0 })).toThrow(DomainError);
    expect(() => mhopFixedPoint(memories, query, 1, { tol: -1 })).toThrow(DomainError);
  });

  it('the fixed-point Method returns the iterate of mhopFixedPoint', () => {
    const memories = rand(4, 3);
    const query = rand(1, 3)[0];
    const m = mhopMethod({ beta: 5, iterate: { maxSteps: 50 } });
    expect(m.name).toBe('mhop-fixed-point');
    const r = m.prepare({ memories, variant: noisy([1, 1, 1]), train: { queries: [], targets: [] }, seed: 0 })(query);
    const f = mhopFixedPoint(memories, query, 5, { maxSteps: 50 });
    expect(r).toEqual({ probs: f.probs, retrieved: f.retrieved });
  });
});

describe('mhopScoreBatch (the benchmark hot loop)', () => {
  it('S[b·N + k] = β ξ_kᵀ x_b, matching the per-query logits', () => {
    const n = 7;
    const d = 5;
    const b = 3;
    const memories = rand(n, d);
    const queries = rand(b, d);
    const s = mhopScoreBatch(Float64Array.from(memories.flat()), n, d, Float64Array.from(queries.flat()), b, 0.7);
    expect(s).toHaveLength(b * n);
    queries.forEach((x, q) =>
      memories.forEach((m, k) => expect(s[q * n + k]).toBe(0.7 * m.reduce((a, v, i) => a + v * x[i], 0))),
    );
  });

  it('rejects wrong sizes, non-Float64Array input and bad β', () => {
    const m = new Float64Array(6);
    expect(() => mhopScoreBatch(m, 2, 3, new Float64Array(5), 2, 1)).toThrow(ShapeError);
    expect(() => mhopScoreBatch([0, 0, 0] as unknown as Float64Array, 1, 3, new Float64Array(3), 1, 1)).toThrow(ShapeError);
    expect(() => mhopScoreBatch(m, 2, 3, new Float64Array(3), 1, 0)).toThrow(DomainError);
    expect(() => mhopScoreBatch(Float64Array.from([0, NaN, 0]), 1, 3, new Float64Array(3), 1, 1)).toThrow(DomainError);
  });
});
