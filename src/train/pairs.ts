/**
 * Training and evaluation pairs (ξ_k, x) ~ V(Ξ): k uniform over the N memories, x ~ p_V(· | ξ_k).
 */
import { DomainError } from '../errors.ts';
import type { Rng } from '../random/rng.ts';
import { checkMatrix } from '../validate.ts';
import type { Variant } from '../variants/variant.ts';

export interface Pairs {
  queries: number[][];
  /** Source index of each query. */
  targets: number[];
}

/**
 * Pairs (ξ_k, x) ~ V(Ξ): k uniform over the N memories, then x ~ p_V(· | ξ_k), from the given seeded stream.
 * @example
 * ```ts
 * import { createRng, noisy, samplePairs } from 'ahop';
 * const pairs = samplePairs([[0, 0], [10, 10]], noisy([0.1, 0.1]), 20, createRng(1));
 * // With σ = 0.1 every query lies within 1 of its source memory.
 * pairs.queries.forEach((x, i) => {
 *   const source = pairs.targets[i] === 0 ? 0 : 10;
 *   if (x.some((v) => Math.abs(v - source) > 1)) throw new Error(`pair ${i} is far from its source`);
 * });
 * ```
 */
export function samplePairs(memories: readonly (readonly number[])[], variant: Variant, count: number, rng: Rng): Pairs {
  if (!Number.isInteger(count) || count <= 0) throw new DomainError(`count must be a positive integer, got ${count}`);
  const xi = checkMatrix('memories', memories, variant.dim);
  const targets = Array.from({ length: count }, () => rng.int(xi.length));
  return { queries: targets.map((k) => variant.sample(xi[k], rng)), targets };
}
