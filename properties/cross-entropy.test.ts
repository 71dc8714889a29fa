/**
 * The one softmax cross-entropy (src/train/cross-entropy.ts) every trained method uses:
 * L(s, t) = log Σ_k e^{s_k} − s_t and g = ∂L/∂s = softmax(s) − e_t. Judged by a second
 * formulation — the naive sum of exponentials (exact enough for |s| ≤ 30) and central finite
 * differences of that naive loss — never by the function under test.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { crossEntropy, type CrossEntropy } from '../src/train/cross-entropy.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

const problem = fc
  .array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 8 })
  .chain((s) => fc.record({ s: fc.constant(s), t: fc.nat({ max: s.length - 1 }) }));

const naiveLoss = (s: readonly number[], t: number) => Math.log(s.reduce((a, v) => a + Math.exp(v), 0)) - s[t];

const H = 1e-5;

const matchesNaive = (ce: (s: readonly number[], t: number) => CrossEntropy) =>
  fc.property(problem, ({ s, t }) => {
    const r = ce(s, t);
    if (Math.abs(r.loss - naiveLoss(s, t)) > 1e-10 * Math.max(1, Math.abs(r.loss))) return false;
    return s.every((_, k) => {
      const up = s.map((v, j) => (j === k ? v + H : v));
      const down = s.map((v, j) => (j === k ? v - H : v));
      const fd = (naiveLoss(up, t) - naiveLoss(down, t)) / (2 * H);
      return Math.abs(r.g[k] - fd) < 1e-6;
    });
  });

describe('softmax cross-entropy', () => {
  it('L = log Σ e^{s_k} − s_t and g = ∂L/∂s (finite differences of the naive loss)', () =>
    expectHolds(matchesNaive(crossEntropy), { numRuns: 300 }));
  it('… and a gradient without the −1 at the target (g = p) is caught', () =>
    expectCounterexample(
      matchesNaive((s, t) => {
        const r = crossEntropy(s, t);
        const g = Float64Array.from(r.g);
        g[t] += 1;
        return { loss: r.loss, g };
      }),
    ));
  it('… and a loss that adds s_t instead of subtracting it is caught', () =>
    expectCounterexample(
      matchesNaive((s, t) => {
        const r = crossEntropy(s, t);
        return { loss: r.loss + 2 * s[t], g: r.g };
      }),
    ));
});
