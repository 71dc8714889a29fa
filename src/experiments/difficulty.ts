/**
 * The difficulty knob δ ∈ [0, 1) → a variant distribution (docs/protocol.md, "Difficulty").
 * The paper names levels ("diff 0.4") without saying what they mean, so ours is one fixed map,
 * written down before any run and used unchanged by every experiment:
 *
 *   occlusion probability  ρ(δ) = δ
 *   noise                  σ(δ) = δ · w / 4       (every dimension alike)
 *   bias                   b_i(δ) = δ · w / 4 · s_i,   s_i ∈ {−1, +1} drawn once per instance
 *
 * where w = high − low is the width of the value range, which is also where occluders are drawn
 * from (an occluded value looks like a plausible value, so it cannot be spotted by range alone).
 * Scaling σ and |b| by w makes the same δ mean the same relative corruption on ±1 patterns and
 * on [0, 1] pixels. σ is floored at a tiny positive value so δ = 0 is still a valid density.
 */
import { DomainError } from '../errors.ts';
import type { Rng } from '../random/rng.ts';
import { biased, composed, masked, mixed, noisy } from '../variants/index.ts';
import type { Variant } from '../variants/variant.ts';

/** The variant families an experiment can ask for. */
export type Family = 'composed' | 'noisy' | 'masked' | 'biased' | 'mixed';

export const FAMILIES: readonly Family[] = ['composed', 'noisy', 'masked', 'biased', 'mixed'];

/** The value range of the memories, [low, high]; occluders are uniform on it. */
export interface Range {
  low: number;
  high: number;
}

/** σ never reaches 0 (a density needs σ > 0): at δ = 0 queries are the memories plus 1e-3·w noise. */
const SIGMA_FLOOR = 1e-3;

export interface Strength {
  rho: number;
  sigma: number;
  biasScale: number;
}

/** ρ, σ and |b| at difficulty δ for a range of width w. */
export function strength(delta: number, range: Range): Strength {
  if (!(delta >= 0 && delta < 1)) throw new DomainError(`difficulty must lie in [0, 1), got ${delta}`);
  const w = range.high - range.low;
  return { rho: delta, sigma: Math.max(SIGMA_FLOOR * w, (delta * w) / 4), biasScale: (delta * w) / 4 };
}

/** s ∈ {−1, +1}^d, the bias direction of one instance. */
export function biasSigns(d: number, rng: Rng): number[] {
  return Array.from({ length: d }, () => (rng.uniform() < 0.5 ? -1 : 1));
}

/**
 * The variant of `family` at difficulty δ. `composed` applies all three corruptions to every query;
 * the pure families apply one at the same strength (noisy: σ; masked: ρ with σ = the floor; biased:
 * b with σ = the floor); `mixed` draws each query from one of the three pure families, 1/3 each.
 */
export function variantAt(family: Family, delta: number, range: Range, signs: readonly number[]): Variant {
  const d = signs.length;
  const { rho, sigma, biasScale } = strength(delta, range);
  const floor = SIGMA_FLOOR * (range.high - range.low);
  const bias = signs.map((s) => s * biasScale);
  const pureNoisy = () => noisy(new Array<number>(d).fill(sigma));
  const pureMasked = () => masked(rho, floor, range.low, range.high);
  const pureBiased = () => biased(bias, floor);
  switch (family) {
    case 'composed':
      return composed(rho, new Array<number>(d).fill(sigma), bias, range.low, range.high);
    case 'noisy':
      return pureNoisy();
    case 'masked':
      return pureMasked();
    case 'biased':
      return pureBiased();
    case 'mixed':
      return mixed([
        { weight: 1 / 3, variant: pureNoisy() },
        { weight: 1 / 3, variant: pureMasked() },
        { weight: 1 / 3, variant: pureBiased() },
      ]);
  }
}
