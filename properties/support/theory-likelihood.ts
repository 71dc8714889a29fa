/**
 * The occluding likelihoods (masked, composed) in a second formulation: sum over the number m of
 * occluded dimensions. With g_i = N(x_i; ξ_i + b_i, σ_i²) and u_i = 1[low ≤ x_i ≤ high]/(high − low),
 *
 *   p(x | ξ) = Σ_m ρ^m (1 − ρ)^{d−m} e_m,   e_m = Σ_{|S| = m} Π_{i∈S} u_i Π_{i∉S} g_i,
 *
 * i.e. the Binomial(d, ρ) mixture of claim 5's fixed-m likelihoods (e_m / C(d, m)). src computes the
 * same density as a product over dimensions of per-dimension mixtures; here e_m comes from the
 * elementary-symmetric recursion in 64-digit arithmetic, so a swapped ρ, a doubled bias or a
 * wrong normaliser in src disagrees with it.
 */
import { valueAt } from '../../src/variants/per-dimension.ts';
import fc from 'fast-check';
import { big, bigMath, type Big } from '../../src/numeric/bignum.ts';
import { logAddExp } from '../../src/numeric/logsumexp.ts';
import { logNormal } from '../../src/variants/gaussian.ts';
import { logOccluded } from '../../src/variants/occlusion.ts';
import type { VariantSpec } from '../../src/variants/variant.ts';
import { composedSpec, maskedSpec, tenths, variantOf } from './theory-instances.ts';

type Occluding = Extract<VariantSpec, { type: 'masked' } | { type: 'composed' }>;

// σ and bias are a number (every dimension) or a length-d vector.
const sigmaOf = (spec: Occluding, i: number) => valueAt(spec.sigma, i);
const biasOf = (spec: Occluding, i: number) => (spec.type === 'masked' ? 0 : valueAt(spec.bias, i));

/** e_0 … e_d of the per-dimension kept (g_i) and occluded (u_i) densities, 64 digits. */
export function occlusionCountTerms(x: readonly number[], means: readonly number[], sigmas: readonly number[], low: number, high: number): Big[] {
  const d = x.length;
  const root2pi = bigMath().sqrt(bigMath().multiply(big(2), bigMath().pi) as Big) as Big;
  const u = big(1).div(big(high).minus(big(low)));
  let e: Big[] = Array.from({ length: d + 1 }, (_, k) => big(k === 0 ? 1 : 0));
  for (let i = 0; i < d; i++) {
    const z = big(x[i]).minus(big(means[i])).div(big(sigmas[i]));
    const g = z.pow(2).div(-2).exp().div(big(sigmas[i]).times(root2pi));
    const inside = x[i] >= low && x[i] <= high;
    e = e.map((ek, k) => ek.times(g).plus(k > 0 && inside ? e[k - 1].times(u) : big(0)));
  }
  return e;
}

/** log p(x | ξ) of a masked or composed spec as the Binomial mixture over the occlusion count. */
export function occlusionMixtureLogLik(spec: Occluding, x: readonly number[], xi: readonly number[]): Big {
  const d = x.length;
  const sigmas = x.map((_, i) => sigmaOf(spec, i));
  const means = xi.map((v, i) => v + biasOf(spec, i));
  const e = occlusionCountTerms(x, means, sigmas, spec.low, spec.high);
  const rho = big(spec.rho);
  const keep = big(1).minus(rho);
  return e.reduce((s, em, m) => s.plus(rho.pow(m).times(keep.pow(d - m)).times(em)), big(0)).ln();
}

/** A log-likelihood under test: src's, or a deliberately broken one. */
export type LogLik = (spec: Occluding, x: readonly number[], xi: readonly number[]) => number;

export const srcLogLik: LogLik = (spec, x, xi) => variantOf(spec).logLikelihood(x, xi);

const perDimension = (f: (spec: Occluding, v: number, xi: number, i: number) => number): LogLik => (spec, x, xi) =>
  x.reduce((s, v, i) => s + f(spec, v, xi[i], i), 0);

/** Broken likelihoods of the occluding families, each a realistic slip (the bias ones: composed only). */
export const LIKELIHOOD_MUTANTS: Record<string, LogLik> = {
  'ρ and 1 − ρ swapped': perDimension((spec, v, m, i) => logOccluded({ ...spec, rho: 1 - spec.rho }, v, m + biasOf(spec, i), sigmaOf(spec, i))),
  'bias applied twice': perDimension((spec, v, m, i) => logOccluded(spec, v, m + 2 * biasOf(spec, i), sigmaOf(spec, i))),
  'occluder density 1 instead of 1/(high − low)': perDimension((spec, v, m, i) =>
    logAddExp(Math.log1p(-spec.rho) + logNormal(v, m + biasOf(spec, i), sigmaOf(spec, i)), v >= spec.low && v <= spec.high ? Math.log(spec.rho) : -Infinity),
  ),
};

/** Memories, a query partly outside [low, high], and a masked or composed spec. */
export const occludingCase = (family: 'masked' | 'composed') =>
  fc.integer({ min: 1, max: 5 }).chain((d) =>
    fc.record({
      spec: (family === 'masked' ? maskedSpec() : composedSpec(d)) as fc.Arbitrary<Occluding>,
      xi: fc.array(tenths(-20, 20), { minLength: d, maxLength: d }),
      x: fc.array(tenths(-40, 40), { minLength: d, maxLength: d }),
    }),
  );

/**
 * The likelihood equals the occlusion-count mixture in log space, within 1e-9 relative (a
 * log-likelihood of −Infinity — every dimension outside [low, high] and far from ξ — must agree too).
 */
export const likelihoodIsOcclusionMixture = (loglik: LogLik, family: 'masked' | 'composed') =>
  fc.property(occludingCase(family), ({ spec, xi, x }) => {
    const want = occlusionMixtureLogLik(spec, x, xi);
    const got = loglik(spec, x, xi);
    if (!want.isFinite()) return got === -Infinity;
    const w = want.toNumber();
    return Math.abs(got - w) <= 1e-9 * (1 + Math.abs(w));
  });

/** The broken likelihoods that differ from the right one on the family (masked has no bias to double). */
export function likelihoodMutants(family: 'masked' | 'composed'): [string, LogLik][] {
  return Object.entries(LIKELIHOOD_MUTANTS).filter(([name]) => family === 'composed' || !name.startsWith('bias'));
}
