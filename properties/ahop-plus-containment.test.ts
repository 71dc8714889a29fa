/**
 * Containment: for every separable variant family (noisy, masked, biased, composed) with known
 * parameters, the closed-form A-Hop+ parameters (`bayesAhopPlusParams`) give scores equal to the
 * Bayes log-likelihood up to a constant in x: s⁺(ξ_k, x) − s⁺(ξ_0, x) = log p(x | ξ_k) − log p(x | ξ_0)
 * for every memory k, and the A-Hop+ argmax is the Bayes argmax on every sampled query
 * (docs/theory.md claim 11).
 *
 * Tolerance, from the rounding of the two sums: per dimension, log p_i = c_i + g_i with
 * c_i = log((1 − ρ)/(√(2π)σ_i)); each side sums d terms, each computed with a few correctly
 * rounded operations (exp, log, log1p, a square), so each side is within about (d + 8)u·A_k of its
 * exact value, A_k = Σ_i (|c_i| + |g_ki|). A difference of two memories doubles that; we allow
 * 4(d + 8)u·(A_k + A_0). A wrong transform is off by O(1), far outside.
 *
 * The mutations are the broken transforms: the bias applied with the wrong sign, and the
 * scale squared twice (ℓ = 2 log σ).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { posterior } from '../src/bayes/posterior.ts';
import { argmax } from '../src/numeric/logsumexp.ts';
import {
  ahopPlusScores,
  bayesAhopPlusParams,
  transformedSimilarities,
  type AhopPlusParams,
} from '../src/similarity/adaptive-plus.ts';
import type { VariantSpec } from '../src/variants/variant.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';
import { biasedSpec, composedSpec, gaussianMemories, maskedSpec, noisySpec, rngFor, sampleQueries, variantOf } from './support/theory-instances.ts';

type ClosedForm = (spec: VariantSpec, d: number) => AhopPlusParams;

const U = 2 ** -53;
const QUERIES = 25;

const families: Record<string, (d: number) => fc.Arbitrary<VariantSpec>> = {
  noisy: noisySpec,
  masked: () => maskedSpec(),
  biased: biasedSpec,
  composed: composedSpec,
};

const instance = (family: (d: number) => fc.Arbitrary<VariantSpec>) =>
  fc
    .record({ n: fc.integer({ min: 2, max: 6 }), d: fc.integer({ min: 1, max: 8 }), seed: fc.nat() })
    .chain(({ n, d, seed }) => fc.record({ n: fc.constant(n), d: fc.constant(d), seed: fc.constant(seed), spec: family(d) }));

/** c_i = log((1 − ρ)/(√(2π) σ_i)) for the families' parameters. */
function constants(spec: VariantSpec, d: number): number[] {
  const rho = spec.type === 'masked' || spec.type === 'composed' ? spec.rho : 0;
  const given = spec.type === 'mixed' ? 1 : spec.sigma;
  const sigma = typeof given === 'number' ? Array.from({ length: d }, () => given) : given;
  return sigma.map((s) => Math.log1p(-rho) - Math.log(s) - 0.5 * Math.log(2 * Math.PI));
}

const containment = (closedForm: ClosedForm, family: (d: number) => fc.Arbitrary<VariantSpec>) =>
  fc.property(instance(family), ({ n, d, seed, spec }) => {
    const rng = rngFor(seed);
    const variant = variantOf(spec);
    const memories = gaussianMemories(n, d, rng);
    const params = closedForm(spec, d);
    const c = constants(spec, d);
    const { queries } = sampleQueries(memories, variant, QUERIES, rng);
    return queries.every((x) => {
      const s = ahopPlusScores(memories, x, params);
      const ll = memories.map((m) => variant.logLikelihood(x, m));
      const a = memories.map((m) => transformedSimilarities(m, x, params).reduce((acc, g, i) => acc + Math.abs(g) + Math.abs(c[i]), 0));
      const equalDifferences = s.every((sk, k) => Math.abs(sk - s[0] - (ll[k] - ll[0])) <= 4 * (d + 8) * U * (a[k] + a[0]));
      // The argmax must agree unless Bayes itself is tied within the rounding allowance.
      const bayes = posterior(variant, memories, x).argmax;
      const gap = Math.min(...ll.map((v, k) => (k === bayes ? Infinity : ll[bayes] - v)));
      const tol = 4 * (d + 8) * U * Math.max(...a) * 2;
      return equalDifferences && (argmax(s) === bayes || gap <= tol);
    });
  });

const wrongBiasSign: ClosedForm = (spec, d) => {
  const p = bayesAhopPlusParams(spec, d);
  return { ...p, offset: p.offset.map((b) => -b) };
};
const scaleSquaredTwice: ClosedForm = (spec, d) => {
  const p = bayesAhopPlusParams(spec, d);
  return { ...p, logScale: p.logScale.map((l) => 2 * l) };
};

describe('A-Hop+ contains the Bayes rule of every separable family', () => {
  for (const [name, family] of Object.entries(families)) {
    it(`${name}: the closed-form A-Hop+ scores equal the Bayes log-likelihood up to a constant in x, and its argmax is Bayes'`, () =>
      expectHolds(containment(bayesAhopPlusParams, family), { numRuns: 40 }));

    it(`${name}: … and the scale squared twice (ℓ = 2 log σ) is caught`, () =>
      expectCounterexample(containment(scaleSquaredTwice, family), { numRuns: 100 }));
  }

  for (const name of ['biased', 'composed']) {
    it(`${name}: … and the bias applied with the wrong sign is caught`, () =>
      expectCounterexample(containment(wrongBiasSign, families[name]), { numRuns: 100 }));
  }

  it('the Bayes argmax is reproduced on every one of 4000 sampled queries per family (fixed seeds)', () => {
    for (const spec of [
      { type: 'noisy', sigma: [0.3, 1.2, 0.5, 2, 0.7, 0.4] },
      { type: 'masked', rho: 0.4, sigma: 0.5, low: -3, high: 3 },
      { type: 'biased', bias: [1, -0.5, 0.3, 0, -1.2, 0.8], sigma: 0.8 },
      { type: 'composed', rho: 0.5, sigma: [0.3, 1.2, 0.5, 0.9, 0.7, 0.4], bias: [1, -0.5, 0.3, 0, -1.2, 0.8], low: -3, high: 3 },
    ] as VariantSpec[]) {
      const rng = rngFor(11);
      const variant = variantOf(spec);
      const memories = gaussianMemories(8, 6, rng);
      const params = bayesAhopPlusParams(variant, 6);
      const { queries } = sampleQueries(memories, variant, 4000, rng);
      const disagree = queries.filter((x) => argmax(ahopPlusScores(memories, x, params)) !== posterior(variant, memories, x).argmax);
      if (disagree.length > 0) throw new Error(`${spec.type}: ${disagree.length} of 4000 queries retrieve another memory than Bayes`);
    }
  });
});
