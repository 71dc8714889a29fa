/**
 * Claim: sparsemax(z) lies on the probability simplex — every p_i ≥ 0 and finite, Σ_i p_i = 1 —
 * for scores of any sign, with ties, and of any magnitude.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { sparsemax } from '../src/baselines/sparsemax.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';
import { tiedEntry } from './support/arbitraries.ts';
import { brokenSparsemax, type SparsemaxImpl as Impl } from './support/sparsemax-mutants.ts';

const scores = fc.oneof(
  fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 12 }),
  fc.array(tiedEntry, { minLength: 1, maxLength: 12 }),
  fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true }), { minLength: 1, maxLength: 12 }),
);

export const onSimplex = (impl: Impl) =>
  fc.property(scores, (z) => {
    const p = impl(z);
    if (p.length !== z.length) return false;
    if (!p.every((v) => Number.isFinite(v) && v >= 0)) return false;
    return Math.abs(p.reduce((a, b) => a + b, 0) - 1) <= 1e-12;
  });

/** A broken sparsemax that forgets to clip: p_i = z_i − τ for every i (negative off the support). */
const unclipped = brokenSparsemax({ unclipped: true });

/** A broken sparsemax whose threshold divides by the wrong count (k + 1), so mass leaks. */
const offByOne = brokenSparsemax({ divisor: (k) => k + 1 });

describe('sparsemax lies on the simplex', () => {
  it('holds for the reference', () => expectHolds(onSimplex(sparsemax), { numRuns: 500 }));
  it('the broken versions differ from the reference only by their bug: with none switched on, they equal it', () =>
    expectHolds(fc.property(scores, (z) => brokenSparsemax({})(z).every((v, i) => v === sparsemax(z)[i])), { numRuns: 300 }));
  it('catches a sparsemax that does not clip at 0', () => expectCounterexample(onSimplex(unclipped)));
  it('catches a threshold divided by k + 1', () => expectCounterexample(onSimplex(offByOne)));
});
