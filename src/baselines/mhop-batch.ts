/**
 * Batched M-Hop scoring for benchmarks, in the flat layout of hopfield/batch.ts: for B queries
 * against N memories, S[b·N + k] = β ξ_kᵀ x_b. This is the M-Hop counterpart of `scoreBatch`
 * (same arguments, β instead of A-Hop's params), so a benchmark row can time the two hot loops on
 * the same memories and queries and report the A-Hop/M-Hop cost ratio.
 */
import { DomainError } from '../errors.ts';
import { checkBatchLayout } from '../validate.ts';
import { checkBeta } from './checks.ts';


/** S (B×N) with S[b·N + k] = β Σ_i ξ_{k,i} x_{b,i}: the M-Hop logits before softmax. */
export function mhopScoreBatch(
  memories: Float64Array,
  n: number,
  d: number,
  queries: Float64Array,
  b: number,
  beta: number,
): Float64Array {
  checkBatchLayout(memories, n, d, queries, b);
  const be = checkBeta(beta);
  const out = new Float64Array(b * n);
  for (let q = 0; q < b; q++) {
    const xo = q * d;
    for (let k = 0; k < n; k++) {
      const mo = k * d;
      let s = 0;
      for (let i = 0; i < d; i++) s += memories[mo + i] * queries[xo + i];
      out[q * n + k] = be * s;
      // Finite entries near 1e308 can still overflow the sum (to ±Infinity, or NaN when both signs do).
      if (!Number.isFinite(out[q * n + k])) {
        throw new DomainError(`score of memory ${k} for query ${q} is ${out[q * n + k]}: memories and queries are too large for float64 scores`);
      }
    }
  }
  return out;
}
