/**
 * Mixed variant: each query is drawn from one component j with probability weight_j.
 * log p(x | ξ) = log Σ_j weight_j p_j(x | ξ).
 */
import { DomainError, ShapeError } from '../errors.ts';
import { logSumExp } from '../numeric/logsumexp.ts';
import { checkFinite } from '../validate.ts';
import { checkSource } from './checks.ts';
import type { Variant } from './variant.ts';

/** Mixture weights must sum to 1 within this tolerance. */
export const WEIGHT_SUM_TOLERANCE = 1e-9;

/**
 * A mixture of variants: component j generates the query with probability weight_j (weights sum to 1), so
 * p(x | ξ) = Σ_j weight_j p_j(x | ξ).
 * @example
 * ```ts
 * import { mixed, noisy } from 'ahop';
 * const a = noisy([1]);
 * const b = noisy([2]);
 * const m = mixed([{ weight: 0.25, variant: a }, { weight: 0.75, variant: b }]);
 * const expected = Math.log(0.25 * Math.exp(a.logLikelihood([1], [0])) + 0.75 * Math.exp(b.logLikelihood([1], [0])));
 * if (Math.abs(m.logLikelihood([1], [0]) - expected) > 1e-12) throw new Error('the weighted sum of the densities');
 * ```
 */
export function mixed(components: readonly { weight: number; variant: Variant }[]): Variant {
  if (!Array.isArray(components) || components.length === 0) {
    throw new ShapeError('components must be a non-empty array');
  }
  const weights = components.map((c, j) => {
    if (typeof c !== 'object' || c === null || typeof c.variant?.logLikelihood !== 'function') {
      throw new ShapeError(`components[${j}] must be an object { weight, variant } with a Variant`);
    }
    const w = checkFinite(`components[${j}].weight`, c.weight);
    if (w < 0) throw new DomainError(`components[${j}].weight must be >= 0, got ${w}`);
    return w;
  });
  const total = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > WEIGHT_SUM_TOLERANCE) {
    throw new DomainError(`component weights must sum to 1, got ${total}`);
  }
  const dims = new Set(components.map((c) => c.variant.dim).filter((d) => d !== undefined));
  if (dims.size > 1) throw new ShapeError(`components disagree on the dimension: ${[...dims].join(', ')}`);
  const logW = weights.map((w) => Math.log(w));
  const dim = dims.size === 1 ? [...dims][0] : undefined;
  return {
    spec: { type: 'mixed', components: components.map((c, j) => ({ weight: weights[j], variant: c.variant.spec })) },
    dim,
    sample(xi, rng) {
      // Check ξ against every component's d first: the drawn component may be one that takes any d.
      return components[rng.categorical(weights)].variant.sample(checkSource(dim, xi), rng);
    },
    logLikelihood(x, xi) {
      // Zero-weight components contribute −Infinity terms, which logSumExp skips.
      return logSumExp(components.map((c, j) => (weights[j] === 0 ? -Infinity : logW[j] + c.variant.logLikelihood(x, xi))));
    },
  };
}
