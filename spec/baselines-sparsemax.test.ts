/**
 * Sparsemax and Sparse Hopfield on hand-checked inputs, and against the 64-digit computation of
 * the conformance kind (random inputs, exact support).
 */
import { describe, expect, it } from 'vitest';
import { sparseMethod, sparseRetrieve } from '../src/baselines/sparse.ts';
import { sparsemax, sparsemaxWithThreshold } from '../src/baselines/sparsemax.ts';
import { clearSupport, sparseExact } from '../src/conformance/kinds-baselines.ts';
import { DomainError, ShapeError } from '../src/errors.ts';
import { createRng } from '../src/random/rng.ts';

describe('sparsemax', () => {
  it('matches hand-computed projections onto the simplex', () => {
    expect(sparsemax([1, 0])).toEqual([1, 0]);
    expect(sparsemax([0.5, 0])).toEqual([0.75, 0.25]);
    expect(sparsemax([0, 0, 0, 0])).toEqual([0.25, 0.25, 0.25, 0.25]);
    // z = (1.2, 1, −3): support {1, 2}, τ = (2.2 − 1)/2 = 0.6.
    const r = sparsemaxWithThreshold([1.2, 1, -3]);
    expect(r.support).toBe(2);
    expect(r.tau).toBeCloseTo(0.6, 15);
    expect(r.probs[0]).toBeCloseTo(0.6, 15);
    expect(r.probs[1]).toBeCloseTo(0.4, 15);
    expect(r.probs[2]).toBe(0);
  });

  it('is invariant to adding a constant (it shifts by the maximum internally)', () => {
    const z = [0.3, -0.2, 0.9, 0.85];
    const a = sparsemax(z);
    const b = sparsemax(z.map((v) => v + 1e6));
    a.forEach((v, k) => expect(b[k]).toBeCloseTo(v, 9));
  });

  it('a single score gets probability 1', () => {
    expect(sparsemax([-7])).toEqual([1]);
  });

  it('agrees with the 64-digit computation, support included, on random well-separated inputs', () => {
    const rng = createRng(1);
    let checked = 0;
    for (let t = 0; t < 200; t++) {
      const n = 1 + rng.int(8);
      const d = 1 + rng.int(6);
      const memories = Array.from({ length: n }, () => Array.from({ length: d }, () => 2 * rng.uniform() - 1));
      const query = Array.from({ length: d }, () => 2 * rng.uniform() - 1);
      const beta = 0.2 + 5 * rng.uniform();
      if (!clearSupport(memories, query, beta)) continue;
      checked++;
      const exact = sparseExact(memories, query, beta);
      const got = sparseRetrieve(memories, query, beta);
      exact.probs.forEach((p, k) => {
        if (p.isZero()) expect(got.probs[k]).toBe(0);
        else expect(Math.abs(got.probs[k] - p.toNumber())).toBeLessThan(1e-13);
      });
      exact.retrieved.forEach((y, i) => expect(Math.abs(got.retrieved[i] - y.toNumber())).toBeLessThan(1e-13));
    }
    expect(checked).toBeGreaterThan(150);
  });
});

describe('Sparse Hopfield', () => {
  it('p = sparsemax(β Ξ x), y = Ξᵀ p', () => {
    const memories = [
      [1, 0],
      [0, 1],
      [-1, 0],
    ];
    // β Ξ x = (0.5, 0.3, −0.5) for x = (0.5, 0.3), β = 1: support {1, 2}, τ = −0.1.
    const r = sparseRetrieve(memories, [0.5, 0.3], 1);
    expect(r.probs[0]).toBeCloseTo(0.6, 15);
    expect(r.probs[1]).toBeCloseTo(0.4, 15);
    expect(r.probs[2]).toBe(0);
    expect(r.retrieved[0]).toBeCloseTo(0.6, 15);
    expect(r.retrieved[1]).toBeCloseTo(0.4, 15);
  });

  it('rejects bad β, shapes and values', () => {
    expect(() => sparseRetrieve([[1]], [1], 0)).toThrow(DomainError);
    expect(() => sparseRetrieve([[1]], [1, 2], 1)).toThrow(ShapeError);
    expect(() => sparseMethod({ beta: -2 })).toThrow(DomainError);
  });
});
