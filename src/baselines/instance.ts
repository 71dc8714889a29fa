/**
 * Building an Instance: memories, a variant, and training pairs drawn from that variant with a
 * seeded stream, so every method of an experiment sees the same data.
 */
import { ShapeError } from '../errors.ts';
import { createRng } from '../random/rng.ts';
import { samplePairs } from '../train/pairs.ts';
import type { Variant } from '../variants/variant.ts';
import { checkMemories } from './checks.ts';
import type { Instance } from './method.ts';

/** Memories + variant + `trainPairs` pairs (ξ_k, x), k uniform, x ~ p_V(· | ξ_k), seeded by `seed`. */
export function createInstance(memories: unknown, variant: Variant, trainPairs: number, seed: number): Instance {
  const xi = checkMemories(memories);
  if (variant.dim !== undefined && variant.dim !== xi[0].length) {
    throw new ShapeError(`the variant has dimension ${variant.dim} but memories have d = ${xi[0].length}`);
  }
  return { memories: xi, variant, train: samplePairs(xi, variant, trainPairs, createRng(seed)), seed };
}
