/**
 * Stable log-sum-exp, softmax and log-softmax: every exponent is shifted by the maximum, so
 * scores of magnitude 1e4 … 1e300 neither overflow nor give NaN.
 */

/**
 * lse(v) = log Σ_k exp(v_k) = m + log1p(Σ_{k ≠ k*} exp(v_k − m)), m = v_{k*} = max_k v_k.
 * The maximum's own term is exactly 1, so log1p keeps full relative accuracy when the other
 * terms are tiny. Returns −Infinity when every v_k is −Infinity.
 * @example
 * ```ts
 * import { logSumExp } from 'ahop';
 * // lse(a, a) = a + log 2, with no overflow at a = 1000.
 * if (Math.abs(logSumExp([1000, 1000]) - (1000 + Math.LN2)) > 1e-12) throw new Error('lse(1000, 1000)');
 * ```
 */
export function logSumExp(v: ArrayLike<number>): number {
  const top = argmax(v);
  const m = v[top];
  if (m === -Infinity) return -Infinity;
  let rest = 0;
  for (let k = 0; k < v.length; k++) if (k !== top) rest += Math.exp(v[k] - m);
  return m + Math.log1p(rest);
}

/**
 * softmax(v)_k = exp(v_k − m) / Σ_j exp(v_j − m).
 * @example
 * ```ts
 * import { softmax } from 'ahop';
 * const p = softmax([0, Math.log(3)]);
 * if (Math.abs(p[0]! - 0.25) > 1e-15 || Math.abs(p[1]! - 0.75) > 1e-15) throw new Error('softmax(0, log 3) = (1/4, 3/4)');
 * ```
 */
export function softmax(v: ArrayLike<number>): number[] {
  let m = -Infinity;
  for (let k = 0; k < v.length; k++) if (v[k] > m) m = v[k];
  const e = Array.from(v, (x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** logSoftmax(v)_k = v_k − lse(v). */
export function logSoftmax(v: ArrayLike<number>): number[] {
  const l = logSumExp(v);
  return Array.from(v, (x) => x - l);
}

/** Index of the largest entry; ties go to the lowest index. */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < v.length; k++) if (v[k] > v[best]) best = k;
  return best;
}

/** log(exp(a) + exp(b)) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}
