/**
 * The first batched scorer of this project, kept as a benchmark baseline: per pair, the d values
 * of each base similarity are sorted with the native Float64Array.prototype.sort (two sorts per
 * pair), then weighted. Same scores as scoreBatch (up to rounding), single-threaded, no input
 * checks (the bench feeds it finite inputs of the right shape).
 */
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { suffixSums } from '../src/similarity/footprint.ts';

/** Coefficients over ascending order: weight[i] multiplies the i-th smallest q. */
function ascendingCoefficients(w: readonly number[], beta: number): Float64Array {
  const c = suffixSums(w);
  const d = c.length;
  return Float64Array.from({ length: d }, (_, i) => beta * c[d - 1 - i]);
}

export function nativeSortScoreBatch(
  memories: Float64Array,
  n: number,
  d: number,
  queries: Float64Array,
  b: number,
  params: AhopParams,
): Float64Array {
  const cDis = ascendingCoefficients(params.wDis, params.betaDis);
  const cDot = ascendingCoefficients(params.wDot, params.betaDot);
  const qDis = new Float64Array(d);
  const qDot = new Float64Array(d);
  const out = new Float64Array(b * n);
  for (let q = 0; q < b; q++) {
    const xo = q * d;
    for (let k = 0; k < n; k++) {
      const mo = k * d;
      for (let i = 0; i < d; i++) {
        const m = memories[mo + i];
        const x = queries[xo + i];
        const diff = m - x;
        qDis[i] = -diff * diff;
        qDot[i] = m * x;
      }
      qDis.sort();
      qDot.sort();
      let s = 0;
      for (let i = 0; i < d; i++) s += cDis[i] * qDis[i] + cDot[i] * qDot[i];
      out[q * n + k] = s;
    }
  }
  return out;
}
