/**
 * Composed variant — noise, occlusion and bias on the same query: each dimension is occluded,
 * x_i ~ U[low, high] (probability ρ), or else shifted and noisy, x_i = ξ_i + b_i + σ_i z_i.
 * log p(x | ξ) = Σ_i log((1 − ρ) N(x_i; ξ_i + b_i, σ_i²) + ρ 1[low ≤ x_i ≤ high] / (high − low)).
 */
import { ShapeError } from '../errors.ts';
import { checkVector } from '../validate.ts';
import { checkPair, checkSource, finiteLogLikelihood, finiteSample } from './checks.ts';
import { checkOccluder, checkSigma, logOccluded, sampleOccluded } from './occlusion.ts';
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
export function composed(
  rho: number,
  sigma: readonly number[],
  bias: readonly number[],
  low: number,
  high: number,
): Variant {
  const o = checkOccluder(rho, low, high);
  const s = checkVector('sigma', sigma).map((v, i) => checkSigma(`sigma[${i}]`, v));
  const b = checkVector('bias', bias);
  if (b.length !== s.length) {
    throw new ShapeError(`bias has length ${b.length} but sigma has length ${s.length}`);
  }
  return {
    spec: { type: 'composed', rho: o.rho, sigma: s, bias: b, low: o.low, high: o.high },
    dim: s.length,
    sample(xi, rng) {
      return finiteSample(checkSource(s.length, xi).map((m, i) => sampleOccluded(o, m + b[i], s[i], rng)));
    },
    logLikelihood(x, xi) {
      const [xv, xiv] = checkPair(s.length, x, xi);
      return finiteLogLikelihood(xv.reduce((acc, v, i) => acc + logOccluded(o, v, xiv[i] + b[i], s[i]), 0));
    },
  };
}
