/**
 * Claim 3 — no fixed similarity is optimal for all variants (docs/theory.md §3).
 *
 * (a) Noisy isotropic variant, memories of unequal norms: the Bayes rule is negative distance,
 *     and the dot product is significantly less accurate.
 * (b) Biased variant with ξ_kᵀb = −‖ξ_k‖²/2 for every k (exists when N ≤ d, Ξ of full rank):
 *     log p(x | ξ_k) = ξ_kᵀx/σ² + const(x), so the dot product IS the Bayes rule, and negative
 *     distance is significantly less accurate.
 * (c) Masked variant: the Bayes rule is significantly more accurate than dot, negative distance,
 *     Manhattan and cosine.
 * "Significantly" = the exact one-sided McNemar (binomial) test rejects "the loser is at least as
 * accurate" at α = 1e-6 on M paired queries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Variant, VariantSpec } from '../src/variants/variant.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';
import { likelihoodIsOcclusionMixture, likelihoodMutants, srcLogLik } from './support/theory-likelihood.ts';
import { shrunkCounterexample, type Shrunk } from './support/theory-shrink.ts';
import {
  bayesRule,
  correctness,
  dotOptimalBias,
  gaussianMemories,
  rngFor,
  sampleQueries,
  tenths,
  variantOf,
} from './support/theory-instances.ts';
import { argmaxRule, dot, FIXED_SIMILARITIES, negDistance, type Rule, type Similarity } from './support/theory-similarities.ts';
import { depth, notSignificantlyWorse, pairedComparison } from './support/theory-stats.ts';

const M = depth(600, 6000);
const RUNS = depth(8, 60);

/** Memories with unequal norms: row k is a Gaussian vector scaled by (k + 1). */
function graded(n: number, d: number, seed: number): number[][] {
  return gaussianMemories(n, d, rngFor(seed)).map((m, k) => m.map((v) => v * (k + 1)));
}

const nd = (maxN: number, minD: number) =>
  fc.record({ seed: fc.integer({ min: 0, max: 1_000_000 }), n: fc.integer({ min: 2, max: maxN }), d: fc.integer({ min: minD, max: 6 }), sigma: tenths(3, 10) });

/**
 * "`rule` is never significantly less accurate than `rival`": H0 acc(rule) ≥ acc(rival) is not
 * rejected by the exact McNemar test at α on M paired queries. For a fixed similarity this is the
 * claim "it is optimal"; fast-check refutes it by finding an instance where it is significantly worse.
 */
function neverWorse(rule: Rule, rival: Rule, memories: number[][], variant: Variant, seed: number): boolean {
  const s = sampleQueries(memories, variant, M, rngFor(seed + 1));
  return notSignificantlyWorse(pairedComparison(correctness(rule, memories, s), correctness(rival, memories, s)));
}

/** On noisy isotropic queries from memories of unequal norms, `a` is never significantly worse than `b`. */
const noisyNeverWorse = (a: Similarity, b: Similarity) =>
  fc.property(nd(5, 2), ({ seed, n, d, sigma }) =>
    neverWorse(argmaxRule(a), argmaxRule(b), graded(n, d, seed), variantOf({ type: 'noisy', sigma: Array(d).fill(sigma) }), seed),
  );

function dotOptimalInstance(seed: number, n: number, d: number, sigma: number): { memories: number[][]; spec: VariantSpec } {
  const memories = graded(Math.min(n, d), d, seed);
  return { memories, spec: { type: 'biased', bias: dotOptimalBias(memories), sigma } };
}

/** On biased queries with the dot-optimal bias, `a` is never significantly worse than `b`. */
const biasedNeverWorse = (a: Similarity, b: Similarity) =>
  fc.property(nd(4, 4), ({ seed, n, d, sigma }) => {
    const { memories, spec } = dotOptimalInstance(seed, n, d, sigma);
    return neverWorse(argmaxRule(a), argmaxRule(b), memories, variantOf(spec), seed);
  });

/** On masked queries, `rule(variant)` is never significantly worse than `rival(variant)`. */
const maskedNeverWorse = (rule: (v: Variant) => Rule, rival: (v: Variant) => Rule) =>
  fc.property(
    fc.record({ seed: fc.integer({ min: 0, max: 1_000_000 }), n: fc.integer({ min: 3, max: 6 }), d: fc.integer({ min: 4, max: 8 }), rho: tenths(2, 5), sigma: tenths(1, 3) }),
    ({ seed, n, d, rho, sigma }) => {
      const variant = variantOf({ type: 'masked', rho, sigma, low: -3, high: 3 });
      return neverWorse(rule(variant), rival(variant), gaussianMemories(n, d, rngFor(seed)), variant, seed);
    },
  );

const fixed = (sim: Similarity) => () => argmaxRule(sim);
const bayes = (v: Variant) => bayesRule(v);

function report(label: string, r: Shrunk<unknown>): void {
  console.log(`claim 3 ${label}: seed ${r.seed} path ${r.path} → ${JSON.stringify(r.counterexample)}`);
}

describe('claim 3: no fixed similarity is optimal for all variants', () => {
  it('refuted "dot product is optimal": on noisy isotropic queries it is significantly less accurate than negative distance (McNemar, α = 1e-6)', () => {
    report('dot < distance (noisy)', shrunkCounterexample(noisyNeverWorse(dot, negDistance), { numRuns: RUNS }));
  });
  it('control: there negative distance (the Bayes rule) is never significantly less accurate than dot', () => {
    expectHolds(noisyNeverWorse(negDistance, dot), { numRuns: RUNS });
  });

  it('for the biased variant with ξ_kᵀb = −‖ξ_k‖²/2 the dot product ranks exactly as Bayes', () => {
    fc.assert(
      fc.property(nd(4, 4), fc.array(tenths(-30, 30), { minLength: 6, maxLength: 6 }), ({ seed, n, d, sigma }, xs) => {
        const { memories, spec } = dotOptimalInstance(seed, n, d, sigma);
        const x = xs.slice(0, d);
        const v = variantOf(spec);
        const ll = memories.map((m) => v.logLikelihood(x, m));
        const dt = memories.map((m) => dot(m, x) / (sigma * sigma));
        // log p(x | ξ_k) − ξ_kᵀx/σ² is the same for every k, up to rounding of terms of size ≤ scale.
        const sq = (u: readonly number[]) => u.reduce((a, w) => a + w * w, 0);
        const scale = (memories.reduce((a, m) => a + sq(m), 0) + sq(x) + sq((spec as { bias: number[] }).bias)) / (sigma * sigma);
        const offs = ll.map((l, k) => l - dt[k]);
        return offs.every((o) => Math.abs(o - offs[0]) <= 1e-12 * (1 + scale));
      }),
      { seed: 7, numRuns: depth(100, 1000) },
    );
  });
  it('refuted "negative distance is optimal": on those biased queries it is significantly less accurate than the dot product', () => {
    report('distance < dot (biased)', shrunkCounterexample(biasedNeverWorse(negDistance, dot), { numRuns: RUNS }));
  });
  it('control: there the dot product (the Bayes rule) is never significantly less accurate than negative distance', () => {
    expectHolds(biasedNeverWorse(dot, negDistance), { numRuns: RUNS });
  });

  for (const { name, sim } of FIXED_SIMILARITIES) {
    it(`refuted "${name} is optimal on masked queries": it is significantly less accurate than the Bayes rule`, () => {
      report(`${name} < Bayes (masked)`, shrunkCounterexample(maskedNeverWorse(fixed(sim), bayes), { numRuns: RUNS }));
    });
  }
  it('control: on masked queries the Bayes rule is never significantly less accurate than any fixed similarity', () => {
    for (const { sim } of FIXED_SIMILARITIES) expectHolds(maskedNeverWorse(bayes, fixed(sim)), { numRuns: RUNS });
  });

  describe('(c) the Bayes rule there uses the right masked likelihood: the Binomial(d, ρ) mixture over the occlusion count (64 digits)', () => {
    it('the masked log p(x | ξ) equals Σ_m ρ^m (1 − ρ)^(d−m) e_m within 1e-9 relative', () => {
      expectHolds(likelihoodIsOcclusionMixture(srcLogLik, 'masked'), { numRuns: 100 });
    });
    for (const [name, loglik] of likelihoodMutants('masked')) {
      it(`… and a masked likelihood with ${name} is caught`, () => {
        expectCounterexample(likelihoodIsOcclusionMixture(loglik, 'masked'), { numRuns: 200 });
      });
    }
  });

  it('the dot-optimal bias solves ξ_kᵀb = −‖ξ_k‖²/2', () => {
    const { memories, spec } = dotOptimalInstance(3, 4, 5, 0.5);
    const b = (spec as { bias: number[] }).bias;
    memories.forEach((m) => expect(dot(m, b)).toBeCloseTo(-dot(m, m) / 2, 9));
  });
});
