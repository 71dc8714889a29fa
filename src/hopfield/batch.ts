/**
 * Batched scoring — the hot loop the gpu path mirrors: S[b][k] = s(ξ_k, x_b) for B queries
 * against N memories, in flat row-major Float64Arrays with no allocation per pair.
 *
 * s(ξ, x) = β_dis Σ_r c^dis_r q̃^dis_r + β_dot Σ_r c^dot_r q̃^dot_r (the suffix-sum form of
 * w_simᵀ U q̃_sim, c = suffixSums(w), c = w without U), evaluated by the radix-sort kernel
 * (batch-kernel.ts explains it) with β, c and the sort direction folded into one coefficient
 * vector per base.
 * Only the summation order differs from the readable `scores` in ahop.ts; the property in
 * properties/batch-matches-reference.test.ts ties the two within a rounding bound.
 */
import ndarray, { type NdArray } from 'ndarray';
import { DomainError } from '../errors.ts';
import { checkBatchLayout } from '../validate.ts';
import { checkParams, type AhopParams } from '../similarity/adaptive.ts';
import { checkFootprintOptions, FULL_FOOTPRINT, suffixSums, type FootprintOptions } from '../similarity/footprint.ts';
import { rowMaxAbs } from './batch-kernel.ts';
import { runJob } from './batch-pool.ts';


/**
 * The kernel's coefficient vectors. The kernel weights dis↑ = (ξ − x)² and dot↑ = ξ ⊙ x, each
 * sorted ascending (or in dimension order without sorting), so:
 * - dis: q = −(ξ − x)², and q descending is (ξ − x)² ascending, so q̃_r = −dis↑_r: cDis_i = −β c_i;
 * - dot: q = ξ ⊙ x ascending puts q̃_r at index d − 1 − r: cDot_i = β c_{d−1−i};
 * - without sorting both keep dimension order: cDis_i = −β c_i, cDot_i = β c_i.
 */
export function coefficientsFor(params: AhopParams, options: FootprintOptions): { cDis: Float64Array; cDot: Float64Array } {
  const d = params.wDis.length;
  const c = (w: readonly number[]) => (options.cumulative ? suffixSums(w) : w);
  const disC = c(params.wDis);
  const dotC = c(params.wDot);
  const cDis = new Float64Array(d);
  const cDot = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    cDis[i] = -(params.betaDis * disC[i]);
    cDot[i] = params.betaDot * (options.sort ? dotC[d - 1 - i] : dotC[i]);
  }
  return { cDis, cDot };
}

/**
 * S (B×N) with S[b·N + k] = s(ξ_k, x_b). Synchronous. Scored by the asm.js kernel (batch-asm.ts;
 * the TypeScript kernel in batch-kernel.ts is the same algorithm, selectable with setBatchKernel or
 * AHOP_BATCH_KERNEL=ts, and gives bit-for-bit the same scores). Large batches are shared with worker
 * threads (batch-pool.ts) when that pays, again with bit-for-bit the same result.
 * @example
 * ```ts
 * import { initialParams, scoreBatch } from 'ahop';
 * // N = 2 memories (0, 0) and (3, 4), B = 1 query (0, 0), d = 2.
 * const s = scoreBatch(Float64Array.of(0, 0, 3, 4), 2, 2, Float64Array.of(0, 0), 1, initialParams(2));
 * if (s[0] !== 0 || s[1] !== -25) throw new Error('S[k] = −‖ξ_k − x‖²');
 * ```
 */
export function scoreBatch(
  memories: Float64Array,
  n: number,
  d: number,
  queries: Float64Array,
  b: number,
  params: AhopParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): Float64Array {
  checkBatchLayout(memories, n, d, queries, b);
  const p = checkParams(params, d);
  const o = checkFootprintOptions(options);
  const { cDis, cDot } = coefficientsFor(p, o);
  const maxM = new Float64Array(n);
  const maxQ = new Float64Array(b);
  rowMaxAbs(memories, n, d, maxM);
  rowMaxAbs(queries, b, d, maxQ);
  const out = new Float64Array(b * n);
  runJob({ memories, queries, n, d, b, maxM, maxQ, cDis, cDot, sorted: o.sort, out });
  // As in retrieve(): finite entries near 1e154 and above can square to Infinity (and 0·Infinity is NaN).
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new DomainError(
      `score of memory ${bad % n} for query ${Math.floor(bad / n)} is ${out[bad]}: the memories and queries are too large for float64 scores`,
    );
  }
  return out;
}

export interface BatchRetrieval {
  /** B×N scores. */
  scores: NdArray<Float64Array>;
  /** B×N probabilities, each row softmax(scores row). */
  probs: NdArray<Float64Array>;
  /** B×d readouts y_b = Σ_k p_bk ξ_k. */
  retrieved: NdArray<Float64Array>;
  /** E_b = −lse(scores row b). */
  energy: Float64Array;
}

/**
 * Softmax, readout and energy for every query of a batch. Each row is shifted by its maximum m,
 * so p = exp(s − m)/Z and E = −(m + log Z) stay finite for |s| ≥ 1e4. Plain typed-array loops:
 * the readout with ndarray get/set per element took ~0.5 s at N = 10000, d = 64, B = 16, as long as
 * the scoring itself (now ~0.05 s). Results are wrapped as ndarray views without copies.
 * @example
 * ```ts
 * import { initialParams, retrieve, retrieveBatch } from 'ahop';
 * const memories = [[0, 0], [1, 1], [2, 0]];
 * const queries = [[1, 0], [2, 1]];
 * const r = retrieveBatch(Float64Array.from(memories.flat()), 3, 2, Float64Array.from(queries.flat()), 2, initialParams(2));
 * queries.forEach((x, b) => {
 *   const one = retrieve(memories, x, initialParams(2));
 *   if (Math.abs(r.energy[b]! - one.energy) > 1e-12) throw new Error(`row ${b}: E_b = −lse(s_b)`);
 *   if (Math.abs(r.probs.get(b, 1) - one.probs[1]!) > 1e-12) throw new Error(`row ${b}: p_b = softmax(s_b)`);
 * });
 * ```
 */
export function retrieveBatch(
  memories: Float64Array,
  n: number,
  d: number,
  queries: Float64Array,
  b: number,
  params: AhopParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): BatchRetrieval {
  const raw = scoreBatch(memories, n, d, queries, b, params, options);
  const p = Float64Array.from(raw);
  const y = new Float64Array(b * d);
  const energy = new Float64Array(b);
  for (let q = 0; q < b; q++) {
    const ro = q * n;
    let m = -Infinity;
    for (let k = 0; k < n; k++) if (p[ro + k] > m) m = p[ro + k];
    let z = 0;
    for (let k = 0; k < n; k++) {
      const e = Math.exp(p[ro + k] - m);
      p[ro + k] = e;
      z += e;
    }
    for (let k = 0; k < n; k++) p[ro + k] /= z;
    energy[q] = -(m + Math.log(z));
    const yo = q * d;
    for (let k = 0; k < n; k++) {
      const pk = p[ro + k];
      // y += p_k ξ_k, skipping memories whose weight underflowed to zero.
      if (pk !== 0) {
        const mo = k * d;
        for (let i = 0; i < d; i++) y[yo + i] += pk * memories[mo + i];
      }
    }
  }
  return { scores: ndarray(raw, [b, n]), probs: ndarray(p, [b, n]), retrieved: ndarray(y, [b, d]), energy };
}
