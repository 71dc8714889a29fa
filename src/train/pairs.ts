/**
 * Training and evaluation pairs (ξ_k, x) ~ V(Ξ): k uniform over the N memories, x ~ p_V(· | ξ_k).
 */
import { z } from 'zod';
import { DomainError } from '../errors.ts';
import type { Rng } from '../random/rng.ts';
import { matrix } from '../schema/fields.ts';
import { checkMatrix } from '../validate.ts';
import type { Variant } from '../variants/variant.ts';

export interface Pairs {
  queries: number[][];
  /** Source index of each query. */
  targets: number[];
}

/**
 * The JSON form of a user's own pairs (`ahop train --pairs FILE`); generates schemas/pairs.schema.json.
 * Lengths that depend on the memories (d numbers per query, one target per query, targets below N)
 * are checked against them when the file is read.
 */
export const PairsFileSchema = z
  .strictObject({
    queries: matrix().describe('the training queries, one row of d numbers each'),
    targets: z.array(z.number().int().min(0)).min(1).describe('the source index (a row of the memories, from 0) of each query'),
  })
  .meta({ id: 'PairsFile', title: 'ahop training pairs', description: 'Training pairs for ahop train --pairs FILE: query i was drawn from memory targets[i].' });

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
