/**
 * The separation functions and similarities of the Universal Hopfield family on hand-checked
 * inputs: the hard-max tie rule, polynomial normalisation, infinite scores (exact matches of the
 * reciprocal similarities) and bad options.
 */
import { describe, expect, it } from 'vitest';
import { hardMax, polynomialSeparation, softmaxSeparation, checkDegree } from '../src/baselines/separation.ts';
import { universalSimilarity } from '../src/baselines/similarities.ts';
import { universalMethod, universalRetrieve } from '../src/baselines/universal.ts';
import { DomainError, ShapeError } from '../src/errors.ts';
import { noisy } from '../src/variants/index.ts';

describe('hard max', () => {
  it('is one-hot at a unique maximum', () => {
    expect(hardMax([0.1, 3, -2])).toEqual([0, 1, 0]);
  });

  it('splits the mass uniformly over exactly tied maxima (the documented tie rule)', () => {
    expect(hardMax([2, 1, 2, 2])).toEqual([1 / 3, 0, 1 / 3, 1 / 3]);
    expect(hardMax([5, 5])).toEqual([0.5, 0.5]);
    // Ties are exact float equality: a one-ulp difference is no tie.
    expect(hardMax([1, 1 + Number.EPSILON])).toEqual([0, 1]);
  });

  it('does not depend on the order of the memories (lowest-index tie-breaking would)', () => {
    const s = [1, 4, 4, 0];
    const perm = [3, 2, 1, 0];
    const p = hardMax(s);
    const q = hardMax(perm.map((k) => s[k]));
    perm.forEach((k, j) => expect(q[j]).toBe(p[k]));
  });

  it('reads out the mean of tied nearest memories under negative distance', () => {
    const memories = [
      [0, 0],
      [2, 0],
      [10, 10],
    ];
    const r = universalRetrieve(memories, [1, 0], { similarity: 'neg-euclidean', separation: 'hardmax' });
    expect(r.probs).toEqual([0.5, 0.5, 0]);
    expect(r.retrieved).toEqual([1, 0]);
  });
});

describe('polynomial separation', () => {
  it('is p_k ∝ s_k^n for nonnegative scores', () => {
    const p = polynomialSeparation([1, 2, 3], 2);
    [1, 4, 9].forEach((v, k) => expect(p[k]).toBeCloseTo(v / 14, 15));
  });

  it('shifts signed scores by their minimum, so the least similar memory gets 0', () => {
    const p = polynomialSeparation([-3, -1, -2], 3);
    [0, 8, 1].forEach((v, k) => expect(p[k]).toBeCloseTo(v / 9, 15));
  });

  it('is uniform when every score is equal', () => {
    expect(polynomialSeparation([-2, -2, -2], 5)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(polynomialSeparation([0, 0], 5)).toEqual([0.5, 0.5]);
  });

  it('stays finite at the edge of float64', () => {
    const p = polynomialSeparation([1.7e308, -1.7e308, 1e308], 40);
    expect(p.every(Number.isFinite)).toBe(true);
    expect(p[0]).toBeGreaterThan(0.99);
  });

  it('accepts only integer degrees >= 1', () => {
    for (const bad of [0, -1, 1.5, NaN, '2']) expect(() => checkDegree(bad)).toThrow(DomainError);
    expect(() => universalMethod({ similarity: 'dot', separation: 'polynomial', degree: 0 })).toThrow(DomainError);
  });
});

describe('infinite scores (reciprocal similarity of an exact match)', () => {
  it('1/‖ξ − x‖ is +∞ at distance 0, finite elsewhere', () => {
    expect(universalSimilarity('inv-euclidean', [1, 2], [1, 2])).toBe(Infinity);
    expect(universalSimilarity('inv-manhattan', [1, 2], [1, 2])).toBe(Infinity);
    expect(universalSimilarity('inv-euclidean', [0, 0], [3, 4])).toBe(1 / 5);
    expect(universalSimilarity('inv-manhattan', [0, 0], [3, -4])).toBe(1 / 7);
  });

  it('every separation sends all mass, uniformly, to the exact matches', () => {
    const memories = [
      [1, 1],
      [0, 0],
      [1, 1],
    ];
    for (const separation of ['softmax', 'hardmax', 'polynomial'] as const) {
      for (const similarity of ['inv-euclidean', 'inv-manhattan'] as const) {
        const r = universalRetrieve(memories, [1, 1], { similarity, separation });
        expect(r.probs, `${similarity} ${separation}`).toEqual([0.5, 0, 0.5]);
        expect(r.retrieved).toEqual([1, 1]);
      }
    }
  });

  it('softmax with β s overflowing to +∞ is the same limit; −∞ scores get zero weight', () => {
    expect(softmaxSeparation([1e308, -1, 1e308], 10)).toEqual([0.5, 0, 0.5]);
    expect(softmaxSeparation([-Infinity, 0], 1)).toEqual([0, 1]);
    expect(softmaxSeparation([-Infinity, -Infinity], 1)).toEqual([0.5, 0.5]);
  });

  it('NaN scores are a DomainError', () => {
    expect(() => softmaxSeparation([NaN, 1], 1)).toThrow(DomainError);
    expect(() => hardMax([NaN])).toThrow(DomainError);
  });
});

describe('Universal Hopfield configuration checks', () => {
  it('rejects β <= 0 or non-finite', () => {
    for (const beta of [0, -1, Infinity, NaN]) {
      expect(() => universalMethod({ similarity: 'dot', separation: 'softmax', beta })).toThrow(DomainError);
    }
  });

  it('validates memories and query at the public retrieve', () => {
    expect(() => universalRetrieve([[1, 2]], [1], { similarity: 'dot', separation: 'hardmax' })).toThrow(ShapeError);
    expect(() => universalRetrieve([[1, 2]], [1, NaN], { similarity: 'dot', separation: 'hardmax' })).toThrow(DomainError);
    expect(() => universalRetrieve([], [1], { similarity: 'dot', separation: 'hardmax' })).toThrow(ShapeError);
  });

  it('a fitted Universal method ignores the variant and training pairs', () => {
    const m = universalMethod({ similarity: 'neg-manhattan', separation: 'softmax', beta: 2 });
    const memories = [
      [0, 1],
      [1, 0],
    ];
    const a = m.prepare({ memories, variant: noisy([1, 1]), train: { queries: [[0, 0]], targets: [0] }, seed: 0 });
    const b = m.prepare({ memories, variant: noisy([5, 5]), train: { queries: [], targets: [] }, seed: 9 });
    expect(a([0.2, 0.9])).toEqual(b([0.2, 0.9]));
  });
});
