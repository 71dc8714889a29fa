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
