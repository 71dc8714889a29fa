/**
 * Claim: in the limit of large β, sparsemax(β z) agrees with softmax's argmax. Once β exceeds
 * 1/g (g: the gap between the largest and second-largest score) sparsemax(β z) is exactly the
 * one-hot vector at argmax softmax(z) = argmax z; and for every β > 0 sparsemax preserves the
 * order of the scores, so its largest weight sits on a maximal score.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { argmax, softmax } from '../src/numeric/logsumexp.ts';
import { sparsemax } from '../src/baselines/sparsemax.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';
import { brokenSparsemax, type SparsemaxImpl as Impl } from './support/sparsemax-mutants.ts';

const scores = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 10 });

function gap(z: readonly number[]): number {
  const s = [...z].sort((a, b) => b - a);
  return s.length < 2 ? Infinity : s[0] - s[1];
}

export const oneHotAtSoftmaxArgmax = (impl: Impl) =>
  fc.property(
    scores.filter((z) => gap(z) > 1e-6),
    fc.double({ min: 1.01, max: 1e3, noNaN: true }),
    (z, factor) => {
      const g = gap(z);
      const beta = Number.isFinite(g) ? factor / g : factor;
      const p = impl(z.map((v) => beta * v));
      const k = argmax(softmax(z));
      return p.every((v, i) => v === (i === k ? 1 : 0));
    },
  );

/** Order preservation on the scores sparsemax sees, w = β z: w_i > w_j ⇒ p_i ≥ p_j. */
export const orderPreserving = (impl: Impl) =>
  fc.property(scores, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (z, beta) => {
    const w = z.map((v) => beta * v);
    const p = impl(w);
    return w.every((wi, i) => w.every((wj, j) => !(wi > wj) || p[i] >= p[j]));
  });

/** A sparsemax that sorts ascending: its "support" starts from the smallest score. */
const ascending = brokenSparsemax({ ascending: true });

/** A sparsemax that applies its threshold to −z (picks the minimum). */
const negated: Impl = (z) => sparsemax(z.map((v) => -v));

describe('sparsemax(β z) in the large-β limit', () => {
  it('holds: exactly one-hot at softmax’s argmax once β > 1/gap', () => expectHolds(oneHotAtSoftmaxArgmax(sparsemax), { numRuns: 500 }));
  it('holds: sparsemax(β z) preserves the order of the scores for every β', () => expectHolds(orderPreserving(sparsemax), { numRuns: 500 }));
  it('catches a sparsemax sorted ascending', () => expectCounterexample(oneHotAtSoftmaxArgmax(ascending)));
  it('catches a sparsemax of −z', () => {
    expectCounterexample(oneHotAtSoftmaxArgmax(negated));
    expectCounterexample(orderPreserving(negated));
  });
});
