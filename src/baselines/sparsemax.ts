/**
 * Sparsemax (Martins & Astudillo, 2016): the Euclidean projection of z onto the probability simplex,
 *   sparsemax(z) = argmin_{p ∈ Δ} ‖p − z‖²,
 * in closed form: with z₍₁₎ ≥ … ≥ z₍N₎ sorted descending,
 *   k(z) = max{ k : 1 + k z₍k₎ > Σ_{j≤k} z₍j₎ },  τ = (Σ_{j≤k(z)} z₍j₎ − 1) / k(z),
 *   p_i = max(z_i − τ, 0).
 * Entries with z_i ≤ τ get exactly 0 (the output is exactly sparse), and τ ≥ z₍₁₎ − 1, so every z_i
 * at least 1 below the maximum is exactly 0.
 */
import { infiniteLimit } from './separation.ts';

export interface SparsemaxResult {
  /** p = sparsemax(z). */
  probs: number[];
  /** The threshold τ (on the input scale). */
  tau: number;
  /** k(z): the size of the support. */
  support: number;
}

/**
 * sparsemax(z) with its threshold. z is first shifted by its maximum (sparsemax(z − c) =
 * sparsemax(z) for any constant c), so the running sums stay O(N · spread) and cannot overflow
 * for large scores; ±∞ entries follow the limits of separation.ts.
 */
export function sparsemaxWithThreshold(z: ArrayLike<number>): SparsemaxResult {
  const lim = infiniteLimit(z);
  if (lim !== undefined) return { probs: lim, tau: NaN, support: lim.filter((p) => p > 0).length };
  const n = z.length;
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (z[i] > m) m = z[i];
  const shifted = Array.from(z, (v) => v - m);
  const sorted = [...shifted].sort((a, b) => b - a);
  // The support is a prefix {1 … k(z)} of the sorted order: the condition holds for k = 1
  // (1 + z₍₁₎ > z₍₁₎) and, once it fails, fails for every larger k, so stop at the first failure.
  let cum = 0;
  let k = 0;
  let cumAtK = 0;
  for (let j = 0; j < n; j++) {
    const v = sorted[j];
    if (!(1 + (j + 1) * v > cum + v)) break;
    cum += v;
    k = j + 1;
    cumAtK = cum;
  }
  const tau = (cumAtK - 1) / k;
  const probs = shifted.map((v) => (v > tau ? v - tau : 0));
  return { probs, tau: tau + m, support: k };
}

/**
 * p = sparsemax(z) = max(z − τ, 0) (see the module comment for τ).
 * @example
 * ```ts
 * import { sparsemax } from 'ahop';
 * // z = (0.5, 0.3, −1): τ = (0.5 + 0.3 − 1) / 2 = −0.1, so p = (0.6, 0.4, 0).
 * const p = sparsemax([0.5, 0.3, -1]);
 * if (Math.abs(p[0]! - 0.6) > 1e-15 || Math.abs(p[1]! - 0.4) > 1e-15 || p[2] !== 0) throw new Error('p = (0.6, 0.4, 0)');
 * ```
 */
export function sparsemax(z: ArrayLike<number>): number[] {
  return sparsemaxWithThreshold(z).probs;
}
