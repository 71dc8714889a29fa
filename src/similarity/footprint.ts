/**
 * The similarity footprint: ftpt(ξ, x) = U q̃, where q̃ is q sorted in descending order and U is the
 * d×d lower-triangular matrix of ones, so ftpt_j = q̃_1 + … + q̃_j is the similarity over the j most
 * consistent dimensions (the "j-optimal" similarity) and ftpt_d is the plain base similarity.
 * Ablations (paper's Table): `sort: false` uses q instead of q̃; `cumulative: false` drops U.
 */
import { DomainError } from '../errors.ts';
import { baseSimilarities, type Base } from './base.ts';

export interface FootprintOptions {
  /** Sort q descending (the paper's "Sort"). */
  sort: boolean;
  /** Apply U, the cumulative sum (the paper's "U"). */
  cumulative: boolean;
}

export const FULL_FOOTPRINT: FootprintOptions = { sort: true, cumulative: true };

/** Footprint options given at a public boundary: an object with two booleans. */
export function checkFootprintOptions(v: unknown, name = 'options'): FootprintOptions {
  const o = v as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o) || typeof o.sort !== 'boolean' || typeof o.cumulative !== 'boolean') {
    throw new DomainError(`${name} must be { sort: boolean, cumulative: boolean }, got ${JSON.stringify(v) ?? String(v)}`);
  }
  return { sort: o.sort, cumulative: o.cumulative };
}

/** q̃: q sorted in descending order (or q itself when sorting is ablated). */
export function ordered(q: readonly number[], options: FootprintOptions = FULL_FOOTPRINT): number[] {
  return options.sort ? [...q].sort((a, b) => b - a) : [...q];
}

/** U: U[j][r] = 1 if r ≤ j else 0 (d×d, lower triangular). */
export function cumulativeMatrix(d: number): number[][] {
  return Array.from({ length: d }, (_, j) => Array.from({ length: d }, (_, r) => (r <= j ? 1 : 0)));
}

/** ftpt = U q̃, literally as a matrix–vector product (O(d²)): the definition every fast form is tied to. */
export function footprintLiteral(q: readonly number[], options: FootprintOptions = FULL_FOOTPRINT): number[] {
  const qt = ordered(q, options);
  if (!options.cumulative) return qt;
  return cumulativeMatrix(qt.length).map((row) => row.reduce((acc, u, r) => acc + u * qt[r], 0));
}

/** ftpt_j = q̃_1 + … + q̃_j as a running sum (O(d log d) with the sort); equals U q̃. */
export function footprintOf(q: readonly number[], options: FootprintOptions = FULL_FOOTPRINT): number[] {
  const qt = ordered(q, options);
  if (!options.cumulative) return qt;
  let acc = 0;
  return qt.map((v) => (acc += v));
}

/**
 * ftpt_sim(ξ, x) for a base similarity.
 * ftpt_sim(ξ, x) = U q̃: ftpt_j = q̃_1 + … + q̃_j, where q̃ is q = sim(ξ_i, x_i) sorted in descending order.
 * @example
 * ```ts
 * import { footprint } from 'ahop';
 * // dot: q = (1·1, 2·3, 0·5) = (1, 6, 0), sorted (6, 1, 0), running sums (6, 7, 7).
 * if (footprint('dot', [1, 2, 0], [1, 3, 5]).join() !== '6,7,7') throw new Error('U q̃');
 * ```
 */
export function footprint(
  base: Base,
  xi: readonly number[],
  x: readonly number[],
  options: FootprintOptions = FULL_FOOTPRINT,
): number[] {
  return footprintOf(baseSimilarities(base, xi, x), options);
}

/** c_r = Σ_{j ≥ r} w_j (suffix sums), so that wᵀ U q̃ = cᵀ q̃. */
export function suffixSums(w: readonly number[]): number[] {
  const c = new Array<number>(w.length);
  let acc = 0;
  for (let r = w.length - 1; r >= 0; r--) {
    acc += w[r];
    c[r] = acc;
  }
  return c;
}

/**
 * wᵀ ftpt in the O(d log d) suffix-sum form: Σ_j w_j ftpt_j = Σ_r c_r q̃_r, c = suffixSums(w)
 * (c = w when U is ablated).
 * @example
 * ```ts
 * import { weightedFootprint } from 'ahop';
 * // q = (1, 3, 2): sorted (3, 2, 1), ftpt = (3, 5, 6); w = (1, 0, 1) gives 3 + 6.
 * if (weightedFootprint([1, 3, 2], [1, 0, 1]) !== 9) throw new Error('wᵀ ftpt = 9');
 * ```
 */
export function weightedFootprint(
  q: readonly number[],
  w: readonly number[],
  options: FootprintOptions = FULL_FOOTPRINT,
): number {
  const qt = ordered(q, options);
  const c = options.cumulative ? suffixSums(w) : w;
  return qt.reduce((acc, v, r) => acc + c[r] * v, 0);
}
