/**
 * Sparsemax written out step by step (shift, sort, the support scan, the threshold τ, the clip), with
 * one switch per deliberate bug, for the sparsemax properties to run against: each broken version
 * is the reference's algorithm with exactly one step changed.
 */

export type SparsemaxImpl = (z: readonly number[]) => number[];

export interface SparsemaxBug {
  /** Sort ascending (and shift by the minimum): the "support" starts from the smallest score. */
  ascending?: boolean;
  /** Divide Σ_{j ≤ k} z_(j) − 1 by this count instead of k. */
  divisor?: (k: number) => number;
  /** Skip the clip at 0: p_i = z_i − τ for every i. */
  unclipped?: boolean;
}

export function brokenSparsemax(bug: SparsemaxBug): SparsemaxImpl {
  return (z) => {
    const m = bug.ascending ? Math.min(...z) : Math.max(...z);
    const s = z.map((v) => v - m);
    const sorted = [...s].sort((a, b) => (bug.ascending ? a - b : b - a));
    let cum = 0;
    let k = 0;
    for (let j = 0; j < sorted.length; j++) {
      if (!(1 + (j + 1) * sorted[j] > cum + sorted[j])) break;
      cum += sorted[j];
      k = j + 1;
    }
    const tau = (cum - 1) / (bug.divisor?.(k) ?? k);
    return s.map((v) => (bug.unclipped ? v - tau : Math.max(v - tau, 0)));
  };
}
