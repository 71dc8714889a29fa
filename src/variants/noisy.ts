/**
 * Noisy variant: x_i = ξ_i + σ_i z_i, z_i ~ N(0, 1) independent.
 * log p(x | ξ) = Σ_i log N(x_i; ξ_i, σ_i²).
 */
import type { Rng } from '../random/rng.ts';
import { checkPositive, checkVector } from '../validate.ts';
import { checkPair, checkSource, finiteLogLikelihood, finiteSample } from './checks.ts';
import { logNormal } from './gaussian.ts';
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
export function noisy(sigma: readonly number[]): Variant {
  const s = checkVector('sigma', sigma).map((v, i) => checkPositive(`sigma[${i}]`, v));
  return {
    spec: { type: 'noisy', sigma: s },
    dim: s.length,
    sample(xi, rng: Rng) {
      return finiteSample(checkSource(s.length, xi).map((m, i) => m + s[i] * rng.normal()));
    },
    logLikelihood(x, xi) {
      const [xv, xiv] = checkPair(s.length, x, xi);
      return finiteLogLikelihood(xv.reduce((acc, v, i) => acc + logNormal(v, xiv[i], s[i]), 0));
    },
  };
}
