/**
 * The training objective for one query x with source index t:
 *   L = −log p_t,  p = softmax(s(Ξ, x)),
 * and its analytic gradient. With g_k = p_k − δ_kt = ∂L/∂s_k:
 *   ∂L/∂β_sim = Σ_k g_k s_sim(ξ_k, x),
 *   ∂L/∂w_sim = β_sim Σ_k g_k ftpt_sim(ξ_k, x) = β_sim U (Σ_k g_k q̃_sim,k)   (U dropped when ablated).
 * The footprints do not depend on the parameters, so training precomputes q̃ once (features.ts)
 * and this core works on those sorted rows.
 */
import { argmax } from '../numeric/logsumexp.ts';
import type { AhopParams } from '../similarity/adaptive.ts';
import { suffixSums } from '../similarity/footprint.ts';

/** q̃ rows of one query against N memories, row-major N×d, for each base. */
export interface SortedRows {
  dis: Float64Array;
  dot: Float64Array;
}

export interface LossGradient {
  loss: number;
  grad: AhopParams;
}

function dotRow(rows: Float64Array, k: number, c: readonly number[]): number {
  const d = c.length;
  let s = 0;
  for (let r = 0; r < d; r++) s += c[r] * rows[k * d + r];
  return s;
}

/** ∂L/∂w from ∂L/∂c: c_r = Σ_{j≥r} w_j, so ∂L/∂w_j = Σ_{r≤j} ∂L/∂c_r (prefix sums). */
function prefixSums(a: readonly number[]): number[] {
  let acc = 0;
  return a.map((v) => (acc += v));
}

/** The cross-entropy of one query and its score gradient: L = −log p_t, ∂L/∂s_k = p_k − δ_kt. */
export interface ScoreLoss {
  loss: number;
  /** ∂L/∂s_k = p_k − δ_kt. */
  dScores: number[];
}

/**
 * L = −log softmax(s)_t and g_k = ∂L/∂s_k = p_k − δ_kt, the cross-entropy part every model's
 * objective shares (A-Hop here, A-Hop+ in similarity/adaptive-plus-gradient.ts).
 * Stable: −log p_t = (m − s_t) + log1p(Σ_{k≠top} e^{s_k − m}) (see logSumExp), and
 * g_t = −Σ_{k≠t} p_k, summed directly to avoid cancellation when p_t ≈ 1.
 * @example
 * const r = crossEntropyFromScores([0, 0], 1); // p = (½, ½)
 * if (Math.abs(r.loss - Math.LN2) > 1e-15 || r.dScores[0] !== 0.5 || r.dScores[1] !== -0.5) throw new Error('crossEntropyFromScores');
 */
export function crossEntropyFromScores(s: readonly number[], target: number): ScoreLoss {
  const n = s.length;
  const top = argmax(s);
  const m = s[top];
  const e = s.map((v) => Math.exp(v - m));
  let rest = 0;
  for (let k = 0; k < n; k++) if (k !== top) rest += e[k];
  const z = 1 + rest;
  const loss = m - s[target] + Math.log1p(rest);
  const p = e.map((v) => v / z);
  const g = p.slice();
  g[target] = -p.reduce((acc, v, k) => (k === target ? acc : acc + v), 0);
  return { loss, dScores: g };
}

/** Per-memory weighted footprints of sorted rows: sDis_k = Σ_r c^dis_r rows.dis[k][r], likewise sDot, and s = β_dis sDis + β_dot sDot. */
export function scoresFromRows(
  rows: SortedRows,
  n: number,
  params: AhopParams,
  cumulative: boolean,
): { s: number[]; sDis: number[]; sDot: number[] } {
  const cDis = cumulative ? suffixSums(params.wDis) : params.wDis;
  const cDot = cumulative ? suffixSums(params.wDot) : params.wDot;
  const sDis = Array.from({ length: n }, (_, k) => dotRow(rows.dis, k, cDis));
  const sDot = Array.from({ length: n }, (_, k) => dotRow(rows.dot, k, cDot));
  return { s: sDis.map((v, k) => params.betaDis * v + params.betaDot * sDot[k]), sDis, sDot };
}

/**
 * The vector–Jacobian product of the weighted footprint scores with respect to (w, β), given
 * g = ∂L/∂s:  ∂L/∂β_sim = Σ_k g_k s_sim,k,  ∂L/∂w_sim = β_sim U (Σ_k g_k q̃_sim,k)  (U dropped when ablated).
 */
export function footprintVjp(
  rows: SortedRows,
  n: number,
  g: readonly number[],
  sDis: readonly number[],
  sDot: readonly number[],
  params: AhopParams,
  cumulative: boolean,
): AhopParams {
  const d = params.wDis.length;
  const aDis = new Array<number>(d).fill(0);
  const aDot = new Array<number>(d).fill(0);
  let gBetaDis = 0;
  let gBetaDot = 0;
  for (let k = 0; k < n; k++) {
    if (g[k] === 0) continue;
    for (let r = 0; r < d; r++) {
      aDis[r] += g[k] * rows.dis[k * d + r];
      aDot[r] += g[k] * rows.dot[k * d + r];
    }
    gBetaDis += g[k] * sDis[k];
    gBetaDot += g[k] * sDot[k];
  }
  const gcDis = aDis.map((v) => params.betaDis * v);
  const gcDot = aDot.map((v) => params.betaDot * v);
  return {
    wDis: cumulative ? prefixSums(gcDis) : gcDis,
    wDot: cumulative ? prefixSums(gcDot) : gcDot,
    betaDis: gBetaDis,
    betaDot: gBetaDot,
  };
}

/** L and ∂L/∂(w_dis, w_dot, β_dis, β_dot) for one query, from its sorted base-similarity rows. */
export function lossAndGradientFromRows(
  rows: SortedRows,
  n: number,
  target: number,
  params: AhopParams,
  cumulative: boolean,
): LossGradient {
  const { s, sDis, sDot } = scoresFromRows(rows, n, params, cumulative);
  const { loss, dScores } = crossEntropyFromScores(s, target);
  return { loss, grad: footprintVjp(rows, n, dScores, sDis, sDot, params, cumulative) };
}
