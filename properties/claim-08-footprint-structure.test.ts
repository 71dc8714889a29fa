/**
 * Claim 8 — footprint structure (docs/theory.md §8).
 * ftpt_k = q̃_1 + … + q̃_k (q̃ = q sorted descending) is the k-optimal similarity
 * max_{|S| = k} Σ_{i∈S} q_i; ftpt_k / k is non-increasing and ftpt is concave in k.
 * The other parts of claim 8 (joint permutation invariance, the ablation forms, suffix-sum form
 * = U·q̃, last entry = base similarity) are the lead's properties/footprint-structure.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseSimilarities } from '../src/similarity/base.ts';
import { footprintOf } from '../src/similarity/footprint.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';
import { shrunkCounterexample } from './support/theory-shrink.ts';
import { depth } from './support/theory-stats.ts';

type Footprint = (q: readonly number[]) => number[];

const reference: Footprint = (q) => footprintOf(q);
const mutants: Record<string, Footprint> = {
  'no sort': (q) => footprintOf(q, { sort: false, cumulative: true }),
  'ascending sort': (q) => {
    let acc = 0;
    return [...q].sort((a, b) => a - b).map((v) => (acc += v));
  },
  'sort by magnitude': (q) => {
    let acc = 0;
    return [...q].sort((a, b) => Math.abs(b) - Math.abs(a)).map((v) => (acc += v));
  },
};

/** Multiples of 1/4 in [−16, 16]: every sum and small multiple of ≤ 8 of them is exact in float64. */
const dyadic = fc.integer({ min: -64, max: 64 }).map((k) => k / 4);
const qVector = (entry: fc.Arbitrary<number>) => fc.array(entry, { minLength: 1, maxLength: 8 });
const runs = depth(200, 3000);

/** All k-subsets' best sum, by brute force. */
function bestSubsetSum(q: readonly number[], k: number): number {
  let best = -Infinity;
  const d = q.length;
  for (let mask = 0; mask < 1 << d; mask++) {
    let bits = 0;
    let s = 0;
    for (let i = 0; i < d; i++) if (mask & (1 << i)) (bits++, (s += q[i]));
    if (bits === k && s > best) best = s;
  }
  return best;
}

const kOptimal = (f: Footprint) =>
  fc.property(qVector(dyadic), (q) => {
    const ft = f(q);
    return ft.every((v, j) => v === bestSubsetSum(q, j + 1));
  });

/** (k+1)·ftpt_k ≥ k·ftpt_{k+1} for every k: ftpt_k / k is non-increasing (exact on dyadic inputs). */
const meanNonIncreasingExact = (f: Footprint) =>
  fc.property(qVector(dyadic), (q) => {
    const ft = f(q);
    return ft.every((v, j) => j === 0 || j * ft[j] <= (j + 1) * ft[j - 1]);
  });

/** ftpt_{k+1} − ftpt_k ≤ ftpt_k − ftpt_{k−1}: concave in k (exact on dyadic inputs). */
const concaveExact = (f: Footprint) =>
  fc.property(qVector(dyadic), (q) => {
    const ft = f(q);
    return ft.every((v, j) => j < 2 || ft[j] - ft[j - 1] <= ft[j - 1] - ft[j - 2]);
  });

const U = 2 ** -53;
const gamma = (n: number) => (n * U) / (1 - n * U);

/**
 * On arbitrary doubles the float running sum is within γ_{k−1}·Σ_{r≤k}|q̃_r| of the exact ftpt_k
 * (standard recursive-summation bound), so the exact inequalities hold for the computed values up
 * to the sum of the two sides' bounds.
 */
const structureWithinRounding = (f: Footprint) =>
  fc.property(fc.record({ xi: qVector(fc.double({ min: -1e3, max: 1e3, noNaN: true })), base: fc.constantFrom('dis' as const, 'dot' as const) }).chain(({ xi, base }) =>
    fc.record({ xi: fc.constant(xi), x: fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: xi.length, maxLength: xi.length }), base: fc.constant(base) }),
  ), ({ xi, x, base }) => {
    const q = baseSimilarities(base, xi, x);
    const ft = f(q);
    const abs = [...q].sort((a, b) => b - a).map(Math.abs);
    const err = ft.map((_, j) => gamma(j + 1) * abs.slice(0, j + 1).reduce((a, b) => a + b, 0) + 4 * U * Math.abs(ft[j]));
    for (let j = 1; j < ft.length; j++) {
      // ftpt_{j+1}/(j+1) ≤ ftpt_j/j, multiplied out.
      if (j * ft[j] > (j + 1) * ft[j - 1] + j * err[j] + (j + 1) * err[j - 1]) return false;
      if (j >= 2 && ft[j] - ft[j - 1] > ft[j - 1] - ft[j - 2] + err[j] + 2 * err[j - 1] + err[j - 2]) return false;
    }
    return true;
  });

describe('claim 8: the footprint is the k-optimal similarity, its mean is non-increasing and it is concave in k', () => {
  it('ftpt_k equals the best sum of q over any k dimensions (the k-optimal similarity)', () => {
    expectHolds(kOptimal(reference), { numRuns: runs });
  });
  it('ftpt_k / k is non-increasing in k (exact, dyadic inputs)', () => {
    expectHolds(meanNonIncreasingExact(reference), { numRuns: runs });
  });
  it('ftpt is concave in k (exact, dyadic inputs)', () => {
    expectHolds(concaveExact(reference), { numRuns: runs });
  });
  it('the float64 footprint of real (ξ, x) keeps both inequalities within the recursive-summation rounding bound', () => {
    expectHolds(structureWithinRounding(reference), { numRuns: runs });
  });

  describe('each property catches a broken footprint', () => {
    for (const [name, f] of Object.entries(mutants)) {
      it(`k-optimality catches: ${name}`, () => {
        expectCounterexample(kOptimal(f));
      });
      it(`non-increasing mean catches: ${name}`, () => {
        expectCounterexample(meanNonIncreasingExact(f));
      });
      it(`concavity catches: ${name}`, () => {
        expectCounterexample(concaveExact(f));
      });
      it(`the rounding-bounded check catches: ${name}`, () => {
        expectCounterexample(structureWithinRounding(f));
      });
    }
  });

  it('replays: the shrunk counterexample for the unsorted footprint is two dimensions in increasing order', () => {
    // Seed 42 shrinks to q = (0, 0.25): without the sort, ftpt = (0, 0.25) and ftpt_2 / 2 > ftpt_1.
    const { counterexample } = shrunkCounterexample(meanNonIncreasingExact(mutants['no sort']));
    expect(counterexample).toEqual([[0, 0.25]]);
  });
});
