/**
 * Biased variant: x_i = ξ_i + b_i + σ z_i.
 * log p(x | ξ) = Σ_i log N(x_i; ξ_i + b_i, σ²).
 */
import { checkVector } from '../validate.ts';
import { checkPair, checkSource, finiteLogLikelihood, finiteSample } from './checks.ts';
import { logNormal } from './gaussian.ts';
import { checkSigma } from './occlusion.ts';
import type { Variant } from './variant.ts';

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
