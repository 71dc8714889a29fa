/**
 * Noisy variant: x_i = ξ_i + σ_i z_i, z_i ~ N(0, 1) independent.
 * log p(x | ξ) = Σ_i log N(x_i; ξ_i, σ_i²).
 * σ is one number for every dimension or a vector of length d.
 */
import type { Rng } from '../random/rng.ts';
import { checkPair, checkSource, finiteLogLikelihood, finiteSample } from './checks.ts';
import { logNormal } from './gaussian.ts';
import { checkPerDimension, valueAt, type PerDimension } from './per-dimension.ts';
import type { Variant } from './variant.ts';

/**
 * The noisy variant: x_i = ξ_i + σ_i z_i, z_i ~ N(0, 1), so log p(x | ξ) = Σ_i log N(x_i; ξ_i, σ_i²).
 * @example
 * ```ts
 * import { noisy } from 'ahop';
 * const v = noisy([1, 1]);
 * // Two standard normal densities at their mean: 2 · log(1/√(2π)) = −log(2π).
 * if (Math.abs(v.logLikelihood([0, 0], [0, 0]) + Math.log(2 * Math.PI)) > 1e-12) throw new Error('log N(0; 0, 1), d = 2');
 * ```
 */
export function noisy(sigma: PerDimension): Variant {
  const s = checkPerDimension('sigma', sigma, true);
  const sd = s.value;
  return {
    spec: { type: 'noisy', sigma: sd },
    dim: s.dim,
    sample(xi, rng: Rng) {
      return finiteSample(checkSource(s.dim, xi).map((m, i) => m + valueAt(sd, i) * rng.normal()));
    },
    logLikelihood(x, xi) {
      const [xv, xiv] = checkPair(s.dim, x, xi);
      return finiteLogLikelihood(xv.reduce((acc, v, i) => acc + logNormal(v, xiv[i], valueAt(sd, i)), 0));
    },
  };
}
