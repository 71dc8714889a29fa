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

/**
 * The class cross-entropy of a memory classifier, from the scores s over memories with labels c_k:
 *   L = −log P_t,  P_t = Σ_{k: c_k = t} softmax(s)_k  (= lse(s) − lse_{k: c_k = t}(s)),
 *   ∂L/∂s_k = g_k = p_k − 1[c_k = t] p_k / P_t.
 * A score of −∞ (a memory left out, e.g. the query's own) gets p_k = g_k = 0. Every memory its own
 * class (c_k = k) gives crossEntropy(s, t).
 * @example
 * ```ts
 * import { classCrossEntropy } from './cross-entropy.ts';
 * const { loss, g } = classCrossEntropy([0, 0, 0, 0], [0, 1, 1, 1], 1);
 * if (Math.abs(loss - Math.log(4 / 3)) > 1e-15 || g[0] !== 0.25 || Math.abs(g[1] + 1 / 12) > 1e-15) throw new Error('P_1 = ¾; g = p − 1[c = 1] p / P_1');
 * ```
 */
export function classCrossEntropy(s: ArrayLike<number>, labels: ArrayLike<number>, target: number): CrossEntropy {
  const n = s.length;
  const m = s[argmax(s)];
  let mc = -Infinity;
  for (let k = 0; k < n; k++) if (labels[k] === target && s[k] > mc) mc = s[k];
  const g = new Float64Array(n);
  // p_k ∝ e^{s_k − m}; q_k = p_k / P_t ∝ e^{s_k − m_c} within the class (both summed stably).
  let z = 0;
  let zc = 0;
  const q = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    z += g[k] = Math.exp(s[k] - m);
    if (labels[k] === target) zc += q[k] = Math.exp(s[k] - mc);
  }
  for (let k = 0; k < n; k++) g[k] = g[k] / z - q[k] / zc;
  return { loss: m + Math.log(z) - mc - Math.log(zc), g };
}
