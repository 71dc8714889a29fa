/**
 * Biased variant: x_i = ξ_i + b_i + σ z_i.
 * log p(x | ξ) = Σ_i log N(x_i; ξ_i + b_i, σ²).
 */
import { checkVector } from '../validate.ts';
import { checkPair, checkSource, finiteLogLikelihood, finiteSample } from './checks.ts';
import { logNormal } from './gaussian.ts';
import { checkSigma } from './occlusion.ts';
import type { Variant } from './variant.ts';

/**
 * The biased variant: x_i = ξ_i + b_i + σ z_i, so log p(x | ξ) = Σ_i log N(x_i; ξ_i + b_i, σ²).
 * @example
 * ```ts
 * import { biased } from 'ahop';
 * const v = biased([2], 1);
 * // The most likely query from ξ = 0 is the shifted one, x = ξ + b, with density N(0; 0, 1).
 * if (Math.abs(v.logLikelihood([2], [0]) + 0.5 * Math.log(2 * Math.PI)) > 1e-12) throw new Error('log N(2; 0 + 2, 1)');
 * if (v.logLikelihood([0], [0]) >= v.logLikelihood([2], [0])) throw new Error('x = ξ + b is the mode');
 * ```
 */
export function biased(bias: readonly number[], sigma: number): Variant {
  const b = checkVector('bias', bias);
  const s = checkSigma('sigma', sigma);
  return {
    spec: { type: 'biased', bias: b, sigma: s },
    dim: b.length,
    sample(xi, rng) {
      return finiteSample(checkSource(b.length, xi).map((m, i) => m + b[i] + s * rng.normal()));
    },
    logLikelihood(x, xi) {
      const [xv, xiv] = checkPair(b.length, x, xi);
      return finiteLogLikelihood(xv.reduce((acc, v, i) => acc + logNormal(v, xiv[i] + b[i], s), 0));
    },
  };
}
