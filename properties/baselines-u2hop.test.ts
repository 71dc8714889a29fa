/**
 * Claims about U2-Hop: (1) with W = I it equals the dot-product baseline — M-Hop and Universal
 * dot/softmax with the same β, bit for bit; (2) its analytic gradient ∂L/∂W = β (u ȳᵀ + v xᵀ)
 * matches central finite differences of L = −log p_t.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { mhopRetrieve } from '../src/baselines/mhop.ts';
import { applyMap, identityMap, kernelScores, u2LossAndGradient, u2Probs, type U2LossGradient, type U2Model } from '../src/baselines/u2hop.ts';
import { softmaxSeparation } from '../src/baselines/separation.ts';
import { universalRetrieve } from '../src/baselines/universal.ts';
import { finite, vector } from './support/arbitraries.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type ProbsImpl = (memories: number[][], x: number[], model: U2Model) => number[];
type GradImpl = (memories: number[][], x: number[], t: number, model: U2Model) => U2LossGradient;

const problem = (maxD: number) =>
  fc
    .record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: maxD }) })
    .chain(({ n, d }) =>
      fc.record({
        memories: fc.array(vector(d, finite(3)), { minLength: n, maxLength: n }),
        query: vector(d, finite(3)),
        beta: fc.double({ min: 0.01, max: 3, noNaN: true }),
        w: fc.array(finite(2), { minLength: d * d, maxLength: d * d }),
        t: fc.nat({ max: n - 1 }),
      }),
    );

export const identityIsDotProduct = (impl: ProbsImpl) =>
  fc.property(problem(6), ({ memories, query, beta }) => {
    const d = query.length;
    const p = impl(memories, query, { d, w: identityMap(d), beta });
    const mhop = mhopRetrieve(memories, query, beta).probs;
    const uni = universalRetrieve(memories, query, { similarity: 'dot', separation: 'softmax', beta }).probs;
    return p.every((v, k) => v === mhop[k] && v === uni[k]);
  });

export const gradientMatchesFiniteDifferences = (impl: GradImpl) =>
  fc.property(problem(4), ({ memories, query, beta, w, t }) => {
    const d = query.length;
    const model = { d, w: Float64Array.from(w), beta };
    const { grad } = impl(memories, query, t, model);
    const h = 1e-6;
    return Array.from(grad).every((g, j) => {
      const at = (delta: number) => {
        const w2 = Float64Array.from(w);
        w2[j] += delta;
        return u2LossAndGradient(memories, query, t, { ...model, w: w2 }).loss;
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      return Math.abs(g - fd) <= 1e-5 * (1 + Math.abs(fd));
    });
  });

/** U2-Hop that forgets β (scores ⟨Wξ, Wx⟩ at temperature 1). */
const noBeta: ProbsImpl = (memories, x, model) =>
  softmaxSeparation(kernelScores(memories.map((m) => applyMap(model.w, model.d, m)), applyMap(model.w, model.d, x)), 1);

/** A gradient with only the ∂/∂W through W x (the W ξ_k path dropped). */
const halfGradient: GradImpl = (memories, x, t, model) => {
  const { loss, grad } = u2LossAndGradient(memories, x, t, model);
  const full = Array.from(grad);
  // Recompute the v xᵀ term and subtract it: v = Σ_k g_k W ξ_k, g = p − e_t.
  const p = u2Probs(memories, x, model);
  const g = p.map((v, k) => v - (k === t ? 1 : 0));
  const d = model.d;
  const v = new Array<number>(d).fill(0);
  memories.forEach((m, k) => applyMap(model.w, d, m).forEach((a, i) => (v[i] += g[k] * a)));
  return { loss, grad: Float64Array.from(full.map((val, ij) => val - model.beta * v[Math.floor(ij / d)] * x[ij % d])) };
};

describe('U2-Hop with W = I equals the dot-product baseline', () => {
  it('holds for the reference', () => expectHolds(identityIsDotProduct(u2Probs), { numRuns: 300 }));
  it('catches a U2-Hop that forgets β', () => expectCounterexample(identityIsDotProduct(noBeta)));
});

describe('the U2-Hop gradient matches finite differences', () => {
  it('holds for the reference', () => expectHolds(gradientMatchesFiniteDifferences(u2LossAndGradient), { numRuns: 100 }));
  it('catches a gradient that drops the W ξ_k path', () => expectCounterexample(gradientMatchesFiniteDifferences(halfGradient)));
});
