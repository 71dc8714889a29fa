/**
 * Composed variant — noise, occlusion and bias on the same query: each dimension is occluded,
 * x_i ~ U[low, high] (probability ρ), or else shifted and noisy, x_i = ξ_i + b_i + σ_i z_i.
 * log p(x | ξ) = Σ_i log((1 − ρ) N(x_i; ξ_i + b_i, σ_i²) + ρ 1[low ≤ x_i ≤ high] / (high − low)).
 * The bias and σ are each one number for every dimension or a vector of length d.
 */
import { checkPair, checkSource, finiteLogLikelihood, finiteSample } from './checks.ts';
import { checkOccluder, logOccluded, sampleOccluded } from './occlusion.ts';
import { checkPerDimension, commonDim, valueAt, type PerDimension } from './per-dimension.ts';
import type { Variant } from './variant.ts';

/**
 * The composed variant: x_i ~ U[low, high] with probability ρ, else x_i = ξ_i + b_i + σ_i z_i, so
 * log p(x | ξ) = Σ_i log((1 − ρ) N(x_i; ξ_i + b_i, σ_i²) + ρ 1[low ≤ x_i ≤ high] / (high − low)).
 * @example
 * ```ts
 * import { composed } from 'ahop';
 * const v = composed(0.25, [1], [1], -2, 2);
 * // x = ξ + b = 1 lies in [low, high]: 0.75 N(1; 1, 1) + 0.25 / 4.
 * const expected = Math.log(0.75 / Math.sqrt(2 * Math.PI) + 0.0625);
 * if (Math.abs(v.logLikelihood([1], [0]) - expected) > 1e-12) throw new Error('noise, bias and occlusion in one dimension');
 * ```
 */
export function composed(rho: number, sigma: PerDimension, bias: PerDimension, low: number, high: number): Variant {
  const o = checkOccluder(rho, low, high);
  const s = checkPerDimension('sigma', sigma, true);
  const b = checkPerDimension('bias', bias, false);
  const dim = commonDim([['sigma', s], ['bias', b]]);
  const [sd, bd] = [s.value, b.value];
  return {
    spec: { type: 'composed', rho: o.rho, sigma: sd, bias: bd, low: o.low, high: o.high },
    dim,
    sample(xi, rng) {
      return finiteSample(checkSource(dim, xi).map((m, i) => sampleOccluded(o, m + valueAt(bd, i), valueAt(sd, i), rng)));
    },
    logLikelihood(x, xi) {
      const [xv, xiv] = checkPair(dim, x, xi);
      return finiteLogLikelihood(xv.reduce((acc, v, i) => acc + logOccluded(o, v, xiv[i] + valueAt(bd, i), valueAt(sd, i)), 0));
    },
  };
}
