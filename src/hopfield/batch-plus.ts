/**
 * Batched A-Hop+ scoring: S[b·N + k] = s(ξ_k, x_b) for B queries against N memories, in flat
 * row-major Float64Arrays, with no allocation per pair (two scratch rows of length d, reused).
 *
 * Same equation as the readable `ahopPlusSimilarity` (similarity/adaptive-plus.ts), with its
 * per-query work hoisted: the saturation levels a_i = log λ_i + log G(x_i) once per query,
 * e^{−2ℓ_i} and the suffix sums c once per call. Per pair the transformed row g and the dot row
 * ξ ⊙ x are sorted ascending in place (typed-array sort is numeric) and weighted from the top,
 * which is the readable form's descending order. properties/ahop-plus-batch.test.ts ties the two.
 */
import { DomainError } from '../errors.ts';
import { checkAhopPlusParams, plusLink, saturationLevels, scaledResidual, type AhopPlusParams } from '../similarity/adaptive-plus.ts';
import { checkFootprintOptions, FULL_FOOTPRINT, suffixSums, type FootprintOptions } from '../similarity/footprint.ts';
import { checkBatchLayout } from '../validate.ts';

/**
 * S (B×N), S[b·N + k] = β_dis Σ_r c^dis_r sort↓(g(ξ_k, x_b))_r + β_dot Σ_r c^dot_r sort↓(ξ_k ⊙ x_b)_r.
 * @example
 * ```ts
 * import { scoreBatchPlus } from 'ahop';
 * const id = { offset: [0], logScale: [0], linkWeight: [0], gateLow: -1, gateHigh: 1, gateWidth: 0, wDis: [1], wDot: [1], betaDis: 2, betaDot: 0 };
 * const s = scoreBatchPlus(Float64Array.from([0, 3]), 2, 1, Float64Array.from([1]), 1, id);
 * if (s[0] !== -1 || s[1] !== -4) throw new Error('scoreBatchPlus');
 * ```
 */
export function scoreBatchPlus(
  memories: Float64Array,
  n: number,
  d: number,
  queries: Float64Array,
  b: number,
  params: AhopPlusParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): Float64Array {
  checkBatchLayout(memories, n, d, queries, b);
  const p = checkAhopPlusParams(params, d);
  const o = checkFootprintOptions(options);
  const cDis = o.cumulative ? suffixSums(p.wDis) : p.wDis;
  const cDot = o.cumulative ? suffixSums(p.wDot) : p.wDot;
  const scale2 = Float64Array.from(p.logScale, (l) => Math.exp(-2 * l));
  const g = new Float64Array(d);
  const q = new Float64Array(d);
  const x = new Array<number>(d);
  const out = new Float64Array(b * n);
  for (let bi = 0; bi < b; bi++) {
    for (let i = 0; i < d; i++) x[i] = queries[bi * d + i];
    const levels = saturationLevels(x, p);
    for (let k = 0; k < n; k++) {
      const mo = k * d;
      for (let i = 0; i < d; i++) {
        g[i] = plusLink(scaledResidual(x[i], memories[mo + i], p.offset[i], scale2[i]), levels[i]);
        q[i] = memories[mo + i] * x[i];
      }
      if (o.sort) {
        g.sort();
        q.sort();
      }
      let sDis = 0;
      let sDot = 0;
      for (let r = 0; r < d; r++) {
        const j = o.sort ? d - 1 - r : r;
        sDis += cDis[r] * g[j];
        sDot += cDot[r] * q[j];
      }
      out[bi * n + k] = p.betaDis * sDis + p.betaDot * sDot;
    }
  }
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new DomainError(`score of memory ${bad % n} for query ${Math.floor(bad / n)} is ${out[bad]}: too large for float64 scores`);
  }
  return out;
}
