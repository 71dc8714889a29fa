/**
 * Biased variant: x_i = ξ_i + b_i + σ_i z_i.
 * log p(x | ξ) = Σ_i log N(x_i; ξ_i + b_i, σ_i²).
 * The bias and σ are each one number for every dimension or a vector of length d.
 */
import { checkPair, checkSource, finiteLogLikelihood, finiteSample } from './checks.ts';
import { logNormal } from './gaussian.ts';
import { checkPerDimension, commonDim, valueAt, type PerDimension } from './per-dimension.ts';
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
export function biased(bias: PerDimension, sigma: PerDimension): Variant {
  const b = checkPerDimension('bias', bias, false);
  const s = checkPerDimension('sigma', sigma, true);
  const dim = commonDim([['bias', b], ['sigma', s]]);
  const [bd, sd] = [b.value, s.value];
  return {
    spec: { type: 'biased', bias: bd, sigma: sd },
    dim,
    sample(xi, rng) {
      return finiteSample(checkSource(dim, xi).map((m, i) => m + valueAt(bd, i) + valueAt(sd, i) * rng.normal()));
    },
    logLikelihood(x, xi) {
      const [xv, xiv] = checkPair(dim, x, xi);
      return finiteLogLikelihood(xv.reduce((acc, v, i) => acc + logNormal(v, xiv[i] + valueAt(bd, i), valueAt(sd, i)), 0));
    },
  };
}
