/**
 * The softmax cross-entropy every trained method minimises, from its scores s:
 *   L(s, t) = −log p_t = lse(s) − s_t,  p = softmax(s),
 *   ∂L/∂s_k = g_k = p_k − δ_kt.
 * Each method only maps g to its own parameters (∂L/∂θ = Σ_k g_k ∂s_k/∂θ): A-Hop in
 * objective.ts, U2-Hop in baselines/u2hop.ts, any flat-parameter model through train/loop.ts.
 */
import { argmax } from '../numeric/logsumexp.ts';

export interface CrossEntropy {
  /** L = −log p_t. */
  loss: number;
  /** g = ∂L/∂s, one entry per score (the caller may keep and reuse it). */
  g: Float64Array;
}

/**
 * The loss alone, stably: −log p_t = (m − s_t) + log1p(Σ_{k≠top} e^{s_k − m}), m = max s (see
 * logSumExp). Used without a gradient by the safeguard and evaluation passes.
 * @example
 * ```ts
 * import { crossEntropyLoss } from 'ahop';
 * if (crossEntropyLoss([0, 0], 1) !== Math.LN2) throw new Error('−log ½ = ln 2');
 * if (crossEntropyLoss([0, 1000], 0) !== 1000) throw new Error('stable: −log p_0 = 1000, no overflow');
 * ```
 */
export function crossEntropyLoss(s: ArrayLike<number>, target: number): number {
  const top = argmax(s);
  const m = s[top];
  let rest = 0;
  for (let k = 0; k < s.length; k++) if (k !== top) rest += Math.exp(s[k] - m);
  return m - s[target] + Math.log1p(rest);
}

/**
 * L and g = p − e_t, with g_t = −Σ_{k≠t} p_k summed directly, avoiding cancellation when p_t ≈ 1.
 * @example
 * ```ts
 * import { crossEntropy } from 'ahop';
 * const { loss, g } = crossEntropy([0, 0], 0);
 * if (loss !== Math.LN2 || g[0] !== -0.5 || g[1] !== 0.5) throw new Error('L = ln 2, g = p − e_0 = (−½, ½)');
 * ```
 */
export function crossEntropy(s: ArrayLike<number>, target: number): CrossEntropy {
  const n = s.length;
  const m = s[argmax(s)];
  const g = new Float64Array(n);
  let z = 0;
  for (let k = 0; k < n; k++) z += g[k] = Math.exp(s[k] - m);
  let others = 0;
  for (let k = 0; k < n; k++) {
    g[k] /= z;
    if (k !== target) others += g[k];
  }
  g[target] = -others;
  return { loss: crossEntropyLoss(s, target), g };
}
