/**
 * The training objective for one query x with source index t:
 *   L = −log p_t,  p = softmax(s(Ξ, x)),  s_k = β_dis c_disᵀ q̃_dis,k + β_dot c_dotᵀ q̃_dot,k,
 * with c = U w (suffix sums c_r = Σ_{j≥r} w_j; c = w when U is ablated). The loss and
 * g = ∂L/∂s come from the one cross-entropy (cross-entropy.ts); this module maps g to A-Hop's
 * parameters:
 *   ∂L/∂β_sim = Σ_k g_k s_sim(ξ_k, x),
 *   ∂L/∂w_sim = β_sim U (Σ_k g_k q̃_sim,k)   (U dropped when ablated).
 * The footprints do not depend on the parameters, so training precomputes q̃ once (features.ts)
 * and this core works on those sorted rows.
 */
import type { AhopParams } from '../similarity/adaptive.ts';
import { suffixSums } from '../similarity/footprint.ts';
import { crossEntropy, crossEntropyLoss } from './cross-entropy.ts';

/** q̃ rows of one query against N memories, row-major N×d, for each base. */
export interface SortedRows {
  dis: ArrayLike<number>;
  dot: ArrayLike<number>;
}

export interface LossGradient {
  loss: number;
  grad: AhopParams;
}

/** Per-base scores s_sim,k = c_simᵀ q̃_sim,k and the combined s_k = β_dis s_dis,k + β_dot s_dot,k. */
export interface RowScores {
  sDis: Float64Array;
  sDot: Float64Array;
  s: Float64Array;
}

function rowDots(rows: ArrayLike<number>, n: number, c: readonly number[]): Float64Array {
  const d = c.length;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let a = 0;
    for (let r = 0; r < d; r++) a += c[r] * rows[k * d + r];
    out[k] = a;
  }
  return out;
}

/**
 * s(Ξ, x) from the sorted rows: s_k = β_dis (U w_dis)ᵀ q̃_dis,k + β_dot (U w_dot)ᵀ q̃_dot,k.
 * @example
 * ```ts
 * import { scoresFromRows } from './objective.ts';
 * const { s } = scoresFromRows({ dis: [-1, 0], dot: [0, 0] }, 2, { wDis: [1], wDot: [1], betaDis: 1, betaDot: 0 }, true);
 * if (s[0] !== -1 || s[1] !== 0) throw new Error('s = β_dis c·q̃_dis = (−1, 0)');
 * ```
 */
export function scoresFromRows(rows: SortedRows, n: number, params: AhopParams, cumulative: boolean): RowScores {
  const sDis = rowDots(rows.dis, n, cumulative ? suffixSums(params.wDis) : params.wDis);
  const sDot = rowDots(rows.dot, n, cumulative ? suffixSums(params.wDot) : params.wDot);
  const s = sDis.map((v, k) => params.betaDis * v + params.betaDot * sDot[k]);
  return { sDis, sDot, s };
}

/**
 * L = −log softmax(s)_t for one query, without the gradient.
 * @example
 * ```ts
 * import { lossFromRows } from './objective.ts';
 * const loss = lossFromRows({ dis: [-1, 0], dot: [0, 0] }, 2, 1, { wDis: [1], wDot: [1], betaDis: 1, betaDot: 0 }, true);
 * if (Math.abs(loss - Math.log1p(Math.exp(-1))) > 1e-15) throw new Error('L = log(1 + e^−1)');
 * ```
 */
export function lossFromRows(rows: SortedRows, n: number, target: number, params: AhopParams, cumulative: boolean): number {
  return crossEntropyLoss(scoresFromRows(rows, n, params, cumulative).s, target);
}

/** ∂L/∂w from ∂L/∂c: c_r = Σ_{j≥r} w_j, so ∂L/∂w_j = Σ_{r≤j} ∂L/∂c_r (prefix sums). */
function prefixSums(a: readonly number[]): number[] {
  let acc = 0;
  return a.map((v) => (acc += v));
}

/**
 * The vector–Jacobian product of the weighted footprint scores with respect to (w, β), given
 * g = ∂L/∂s (any model whose scores end in A-Hop's footprint reuses it: A-Hop+ does):
 *   ∂L/∂β_sim = Σ_k g_k s_sim,k,  ∂L/∂w_sim = β_sim U (Σ_k g_k q̃_sim,k)   (U dropped when ablated).
 * @example
 * ```ts
 * import { footprintVjp } from './objective.ts';
 * const g = footprintVjp({ dis: [-1, 0], dot: [0, 0] }, 2, [0.5, -0.5], [-1, 0], [0, 0], { wDis: [1], wDot: [1], betaDis: 1, betaDot: 0 }, true);
 * if (g.betaDis !== -0.5) throw new Error('∂L/∂β_dis = Σ_k g_k s_dis,k = −0.5');
 * ```
 */
export function footprintVjp(
  rows: SortedRows,
  n: number,
  g: ArrayLike<number>,
  sDis: ArrayLike<number>,
  sDot: ArrayLike<number>,
  params: AhopParams,
  cumulative: boolean,
): AhopParams {
  const d = params.wDis.length;
  // a_sim = Σ_k g_k q̃_sim,k (= ∂L/∂c_sim / β_sim).
  const aDis = new Float64Array(d);
  const aDot = new Float64Array(d);
  const { dis, dot } = rows;
  let gBetaDis = 0;
  let gBetaDot = 0;
  for (let k = 0; k < n; k++) {
    const gk = g[k];
    if (gk === 0) continue;
    for (let r = 0; r < d; r++) {
      aDis[r] += gk * dis[k * d + r];
      aDot[r] += gk * dot[k * d + r];
    }
    gBetaDis += gk * sDis[k];
    gBetaDot += gk * sDot[k];
  }
  const gcDis = Array.from(aDis, (v) => params.betaDis * v);
  const gcDot = Array.from(aDot, (v) => params.betaDot * v);
  return {
    wDis: cumulative ? prefixSums(gcDis) : gcDis,
    wDot: cumulative ? prefixSums(gcDot) : gcDot,
    betaDis: gBetaDis,
    betaDot: gBetaDot,
  };
}

/**
 * L and ∂L/∂(w_dis, w_dot, β_dis, β_dot) for one query, from its sorted base-similarity rows.
 * @example
 * ```ts
 * import { lossAndGradientFromRows } from './objective.ts';
 * const { grad } = lossAndGradientFromRows({ dis: [-1, 0], dot: [0, 0] }, 2, 1, { wDis: [1], wDot: [1], betaDis: 1, betaDot: 0 }, true);
 * // p_0 = 1/(1 + e): ∂L/∂β_dis = (p_0 − 0)·(−1) + (p_1 − 1)·0
 * if (Math.abs(grad.betaDis + 1 / (1 + Math.E)) > 1e-15) throw new Error('∂L/∂β_dis = −p_0');
 * ```
 */
export function lossAndGradientFromRows(
  rows: SortedRows,
  n: number,
  target: number,
  params: AhopParams,
  cumulative: boolean,
): LossGradient {
  const { sDis, sDot, s } = scoresFromRows(rows, n, params, cumulative);
  const { loss, g } = crossEntropy(s, target);
  return { loss, grad: footprintVjp(rows, n, g, sDis, sDot, params, cumulative) };
}
