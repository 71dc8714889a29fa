/**
 * Masked variant: each dimension is kept with small noise, x_i = ξ_i + σ z_i (probability 1 − ρ),
 * or occluded, x_i ~ U[low, high] (probability ρ).
 * log p(x | ξ) = Σ_i log((1 − ρ) N(x_i; ξ_i, σ²) + ρ 1[low ≤ x_i ≤ high] / (high − low)).
 */
import { checkPair, checkSource, finiteLogLikelihood, finiteSample } from './checks.ts';
import { checkOccluder, checkSigma, logOccluded, sampleOccluded } from './occlusion.ts';
import type { Variant } from './variant.ts';

export function masked(rho: number, sigma: number, low: number, high: number): Variant {
  const o = checkOccluder(rho, low, high);
  const s = checkSigma('sigma', sigma);
  return {
    spec: { type: 'masked', rho: o.rho, sigma: s, low: o.low, high: o.high },
    dim: undefined,
    sample(xi, rng) {
      return finiteSample(checkSource(undefined, xi).map((m) => sampleOccluded(o, m, s, rng)));
    },
    logLikelihood(x, xi) {
      const [xv, xiv] = checkPair(undefined, x, xi);
      return finiteLogLikelihood(xv.reduce((acc, v, i) => acc + logOccluded(o, v, xiv[i], s), 0));
    },
  };
}
