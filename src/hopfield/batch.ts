/**
 * Batched scoring — the hot loop the gpu path mirrors: S[b][k] = s(ξ_k, x_b) for B queries
 * against N memories, in flat row-major Float64Arrays with no allocation per pair.
 * Uses the suffix-sum form s_sim = Σ_r c_r q̃_r (c_r = Σ_{j≥r} w_j) with β folded into c;
 * a property ties it to the readable `scores` in ahop.ts.
 */
import ndarray, { type NdArray } from 'ndarray';
import ops from 'ndarray-ops';
import { ShapeError } from '../errors.ts';
import { checkFinite } from '../validate.ts';
import { checkParams, type AhopParams } from '../similarity/adaptive.ts';
import { FULL_FOOTPRINT, suffixSums, type FootprintOptions } from '../similarity/footprint.ts';

function checkFlat(name: string, a: unknown, rows: number, d: number): Float64Array {
  if (!(a instanceof Float64Array)) throw new ShapeError(`${name} must be a Float64Array`);
  if (!Number.isInteger(rows) || rows <= 0) throw new ShapeError(`${name} must have at least one row, got ${rows}`);
  if (a.length !== rows * d) throw new ShapeError(`${name} must have ${rows}×${d} = ${rows * d} entries, got ${a.length}`);
  for (let i = 0; i < a.length; i++) checkFinite(`${name}[${Math.floor(i / d)}][${i % d}]`, a[i]);
  return a;
}

/**
 * Coefficients over ascending order: weight[i] multiplies the i-th smallest q (so q̃_r, the r-th largest,
 * meets β c_r at i = d − 1 − r). Without sorting, q keeps its order and weight[i] = β c_i.
 */
function coefficients(w: readonly number[], beta: number, options: FootprintOptions): Float64Array {
  const c = options.cumulative ? suffixSums(w) : w;
  const d = c.length;
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) out[i] = beta * (options.sort ? c[d - 1 - i] : c[i]);
  return out;
}

/** S (B×N) with S[b·N + k] = s(ξ_k, x_b). */
export function scoreBatch(
  memories: Float64Array,
  n: number,
  d: number,
  queries: Float64Array,
  b: number,
  params: AhopParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): Float64Array {
  if (!Number.isInteger(d) || d <= 0) throw new ShapeError(`d must be a positive integer, got ${d}`);
  checkFlat('memories', memories, n, d);
  checkFlat('queries', queries, b, d);
  const p = checkParams(params, d);
  const cDis = coefficients(p.wDis, p.betaDis, options);
  const cDot = coefficients(p.wDot, p.betaDot, options);
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
      if (options.sort) {
        qDis.sort();
        qDot.sort();
      }
      let s = 0;
      for (let i = 0; i < d; i++) s += cDis[i] * qDis[i] + cDot[i] * qDot[i];
      out[q * n + k] = s;
    }
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

/** Softmax, readout and energy for every query of a batch (rows as ndarray views, no copies). */
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
  const scores = ndarray(raw, [b, n]);
  const probs = ndarray(Float64Array.from(raw), [b, n]);
  const mem = ndarray(memories, [n, d]);
  const retrieved = ndarray(new Float64Array(b * d), [b, d]);
  const energy = new Float64Array(b);
  for (let q = 0; q < b; q++) {
    const row = probs.pick(q, null);
    const m = ops.sup(row);
    ops.subseq(row, m);
    ops.expeq(row);
    const z = ops.sum(row);
    ops.divseq(row, z);
    energy[q] = -(m + Math.log(z));
    const y = retrieved.pick(q, null);
    for (let k = 0; k < n; k++) {
      const pk = row.get(k);
      // y += p_k ξ_k, skipping memories whose weight underflowed to zero.
      if (pk !== 0) for (let i = 0; i < d; i++) y.set(i, y.get(i) + pk * mem.get(k, i));
    }
  }
  return { scores, probs, retrieved, energy };
}
