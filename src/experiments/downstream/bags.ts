/**
 * MNIST-bags (Ilse, Tomczak & Welling 2018): a bag holds n = max(1, round(N(μ, σ²))) digits drawn
 * uniformly with replacement from a pool; it is positive iff it contains the digit 9. Train and
 * test bags come from disjoint digit pools.
 */
import { DomainError } from '../../errors.ts';
import type { Rng } from '../../random/rng.ts';
import type { Digits } from './digits.ts';

export const POSITIVE_DIGIT = 9;

export interface Bag {
  /** The bag's images, row-major 14×14 each. */
  instances: number[][];
  /** The digit class of each instance. */
  digits: number[];
  /** The pool ids of the instances (see Digits.ids). */
  ids: string[];
  /** 1 iff some instance is a 9. */
  label: 0 | 1;
}

export interface BagSize {
  mean: number;
  sd: number;
}

/**
 * `count` bags drawn from `pool`: sizes max(1, round(mean + sd · z)), instances uniform with
 * replacement, label = 1[a 9 is inside].
 *
 * @example
 * ```ts
 * import { createRng } from '../../random/rng.ts';
 * import { drawBags } from './bags.ts';
 * const pool = { images: [[0], [1]], labels: [9, 3], ids: ['9/0', '3/0'] };
 * const bags = drawBags(pool, 20, { mean: 3, sd: 1 }, createRng(0));
 * if (bags.length !== 20 || bags.some((b) => b.label !== (b.digits.includes(9) ? 1 : 0) || b.instances.length < 1)) throw new Error('label = 1[a 9 is inside]');
 * ```
 */
export function drawBags(pool: Digits, count: number, size: BagSize, rng: Rng): Bag[] {
  if (!(Number.isInteger(count) && count >= 0)) throw new DomainError(`count must be a non-negative integer, got ${count}`);
  if (!(Number.isFinite(size.mean) && Number.isFinite(size.sd) && size.sd >= 0)) {
    throw new DomainError(`bag size needs a finite mean and sd ≥ 0, got mean ${size.mean}, sd ${size.sd}`);
  }
  if (pool.labels.length === 0) throw new DomainError('the digit pool is empty');
  return Array.from({ length: count }, () => {
    const n = Math.max(1, Math.round(size.mean + size.sd * rng.normal()));
    const picks = Array.from({ length: n }, () => rng.int(pool.labels.length));
    const digits = picks.map((i) => pool.labels[i]);
    return {
      instances: picks.map((i) => pool.images[i]),
      digits,
      ids: picks.map((i) => pool.ids[i]),
      label: digits.includes(POSITIVE_DIGIT) ? 1 : 0,
    };
  });
}
