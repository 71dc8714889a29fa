/**
 * Masked variant: each dimension is kept with small noise, x_i = ξ_i + σ_i z_i (probability 1 − ρ),
 * or occluded, x_i ~ U[low, high] (probability ρ).
 * log p(x | ξ) = Σ_i log((1 − ρ) N(x_i; ξ_i, σ_i²) + ρ 1[low ≤ x_i ≤ high] / (high − low)).
 * σ is one number for every dimension or a vector of length d.
 */
import { checkPair, checkSource, finiteLogLikelihood, finiteSample } from './checks.ts';
import { checkOccluder, logOccluded, sampleOccluded } from './occlusion.ts';
import { checkPerDimension, valueAt, type PerDimension } from './per-dimension.ts';
import type { Variant } from './variant.ts';

/**
 * The masked variant: x_i = ξ_i + σ z_i with probability 1 − ρ, else x_i ~ U[low, high], so
 * log p(x | ξ) = Σ_i log((1 − ρ) N(x_i; ξ_i, σ²) + ρ 1[low ≤ x_i ≤ high] / (high − low)).
 * @example
 * ```ts
 * import { masked } from 'ahop';
 * const v = masked(0.5, 1, -1, 1);
 * // x = ξ = 0: (1 − ρ) N(0; 0, 1) + ρ / (high − low) = 0.5/√(2π) + 0.25.
 * const expected = Math.log(0.5 / Math.sqrt(2 * Math.PI) + 0.25);
 * if (Math.abs(v.logLikelihood([0], [0]) - expected) > 1e-12) throw new Error('one kept-or-occluded dimension');
 * ```
 */
export function masked(rho: number, sigma: PerDimension, low: number, high: number): Variant {
  const o = checkOccluder(rho, low, high);
  const s = checkPerDimension('sigma', sigma, true);
  const sd = s.value;
  return {
    spec: { type: 'masked', rho: o.rho, sigma: sd, low: o.low, high: o.high },
    dim: s.dim,
    sample(xi, rng) {
      return finiteSample(checkSource(s.dim, xi).map((m, i) => sampleOccluded(o, m, valueAt(sd, i), rng)));
    },
    logLikelihood(x, xi) {
      const [xv, xiv] = checkPair(s.dim, x, xi);
      return finiteLogLikelihood(xv.reduce((acc, v, i) => acc + logOccluded(o, v, xiv[i], valueAt(sd, i)), 0));
    },
  };
}
