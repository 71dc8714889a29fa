/**
 * Test-time corruptions of 14×14 digit images: the retrieval protocol's variant families
 * (src/variants: noisy, masked, biased, composed) with the pixel range [0, 1] as occluder range,
 * plus block occlusion (a contiguous square patch of uniform occluders). Every corrupted image is
 * clipped to [0, 1] (an image's pixels live there); level 0 returns the clean image unchanged.
 * Levels per family are fixed in docs/protocol-downstream.md.
 */
import { DomainError } from '../../errors.ts';
import type { Rng } from '../../random/rng.ts';
import { biased, composed, masked, noisy } from '../../variants/index.ts';
import type { Variant } from '../../variants/variant.ts';
import { DIGIT_SIDE } from './digits.ts';

export const CORRUPTION_FAMILIES = ['noisy', 'masked', 'block', 'biased', 'composed'] as const;
export type CorruptionFamily = (typeof CORRUPTION_FAMILIES)[number];

/** The levels tested per family (level 0, the clean image, is tested once for all). */
export const CORRUPTION_LEVELS: Record<CorruptionFamily, readonly number[]> = {
  noisy: [0.1, 0.2, 0.4, 0.6],
  masked: [0.1, 0.2, 0.4, 0.6],
  block: [3, 5, 7, 9],
  biased: [0.1, 0.2, 0.3, 0.5],
  composed: [0.1, 0.2, 0.4, 0.6],
};

/** The symbol of each family's level, for tables and axes. */
export const LEVEL_SYMBOL: Record<CorruptionFamily, string> = { noisy: 'σ', masked: 'ρ', block: 'side a', biased: 'b', composed: 'δ' };

/** The retrieval protocol's floor noise on kept pixels (src/experiments/difficulty.ts, width 1). */
const SIGMA_FLOOR = 1e-3;

function clip01(x: number[]): number[] {
  return x.map((v) => (v < 0 ? 0 : v > 1 ? 1 : v));
}

/** The reference variant of a pixel family at `level` for images of dimension d. */
function variantOf(family: Exclude<CorruptionFamily, 'block'>, level: number, d: number): Variant {
  switch (family) {
    case 'noisy':
      return noisy(new Array<number>(d).fill(level));
    case 'masked':
      return masked(level, SIGMA_FLOOR, 0, 1);
    case 'biased':
      return biased(new Array<number>(d).fill(level), SIGMA_FLOOR);
    case 'composed':
      // ρ = δ, σ = δ/4, |b| = δ/4 (the retrieval protocol's strengths for width 1), bias = brightness.
      return composed(level, new Array<number>(d).fill(Math.max(SIGMA_FLOOR, level / 4)), new Array<number>(d).fill(level / 4), 0, 1);
  }
}

/**
 * x = a side × side square of x replaced by occluders u ~ U[0, 1], at a uniformly random position
 * (top-left corner uniform over the positions where the patch fits).
 *
 * @example
 * ```ts
 * import { createRng } from '../../random/rng.ts';
 * import { blockOcclude } from './corruptions.ts';
 * const x = blockOcclude(new Array(196).fill(2), 14, 5, createRng(0));
 * if (x.filter((v) => v !== 2).length !== 25) throw new Error('a 5 × 5 block of 196 pixels is replaced');
 * ```
 */
export function blockOcclude(image: readonly number[], side: number, a: number, rng: Rng): number[] {
  if (!(Number.isInteger(a) && a >= 0 && a <= side)) throw new DomainError(`block side must be an integer in [0, ${side}], got ${a}`);
  const out = [...image];
  if (a === 0) return out;
  const r0 = rng.int(side - a + 1);
  const c0 = rng.int(side - a + 1);
  for (let r = r0; r < r0 + a; r++) for (let c = c0; c < c0 + a; c++) out[r * side + c] = rng.uniform();
  return out;
}

/**
 * A corrupted copy of each image (pixels in [0, 1]): x ~ V_level(ξ), clipped to [0, 1]; level 0
 * returns copies of the clean images.
 *
 * @example
 * ```ts
 * import { createRng } from '../../random/rng.ts';
 * import { corrupt } from './corruptions.ts';
 * const clean = [new Array(196).fill(0.5)];
 * const [x] = corrupt(clean, 'masked', 0.4, createRng(3));
 * if (x.length !== 196 || x.some((v) => v < 0 || v > 1) || corrupt(clean, 'masked', 0, createRng(3))[0].some((v) => v !== 0.5)) throw new Error('pixels stay in [0, 1]; level 0 is clean');
 * ```
 */
export function corrupt(images: readonly (readonly number[])[], family: CorruptionFamily, level: number, rng: Rng): number[][] {
  if (!(CORRUPTION_FAMILIES as readonly string[]).includes(family)) {
    throw new DomainError(`family must be one of ${CORRUPTION_FAMILIES.join(', ')}, got ${JSON.stringify(family)}`);
  }
  if (!(Number.isFinite(level) && level >= 0)) throw new DomainError(`level must be finite and ≥ 0, got ${level}`);
  if (level === 0) return images.map((x) => [...x]);
  if (family === 'block') return images.map((x) => blockOcclude(x, DIGIT_SIDE, level, rng));
  const v = variantOf(family, level, images[0]?.length ?? 0);
  return images.map((x) => clip01(v.sample(x, rng)));
}
