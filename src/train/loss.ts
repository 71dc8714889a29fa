/**
 * Cross-entropy loss of A-Hop for one query with known source t, and its analytic gradient:
 * L(Ξ, x, t) = −log p_t, p = softmax(s(Ξ, x)). See objective.ts for the gradient's equations.
 */
import { DomainError } from '../errors.ts';
import { checkProblem } from '../hopfield/ahop.ts';
import type { AhopParams } from '../similarity/adaptive.ts';
import { checkFootprintOptions, FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';
import { checkIndex } from '../validate.ts';
import { sortedRows } from './features.ts';
import { lossAndGradientFromRows, type LossGradient } from './objective.ts';

export type { LossGradient } from './objective.ts';

/**
 * The cross-entropy loss L(Ξ, x, t) = −log p_t, p = softmax(s(Ξ, x)), and its gradient ∂L/∂(w_dis, w_dot, β_dis, β_dot).
 * @example
 * ```ts
 * import { initialParams, lossAndGradient } from 'ahop';
 * const memories = [[0, 0], [1, 1]];
 * const x = [0.2, 0.1];
 * const r = lossAndGradient(memories, x, 0, initialParams(2));
 * // s = (−0.05, −1.45), so L = −log softmax(s)_0 = log(1 + e^{−1.4}).
 * if (Math.abs(r.loss - Math.log1p(Math.exp(-1.4))) > 1e-12) throw new Error('L = log(1 + e^{−1.4})');
 * // A central difference in β_dis agrees with the analytic ∂L/∂β_dis.
 * const at = (betaDis: number) => lossAndGradient(memories, x, 0, { ...initialParams(2), betaDis }).loss;
 * if (Math.abs(r.grad.betaDis - (at(1 + 1e-6) - at(1 - 1e-6)) / 2e-6) > 1e-6) throw new Error('∂L/∂β_dis');
 * ```
 */
export function lossAndGradient(
  memories: readonly (readonly number[])[],
  query: readonly number[],
  target: number,
  params: AhopParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): LossGradient {
  const c = checkProblem(memories, query, params);
  const t = checkIndex('target', target, c.memories.length);
  const o = checkFootprintOptions(options);
  const r = lossAndGradientFromRows(sortedRows(c.memories, c.query, o), c.memories.length, t, c.params, o.cumulative);
  // Finite inputs near 1e154 overflow the scores (or the gradient): refuse rather than return NaN.
  const values = [r.loss, r.grad.betaDis, r.grad.betaDot, ...r.grad.wDis, ...r.grad.wDot];
  if (!values.every(Number.isFinite)) {
    throw new DomainError('the loss or its gradient overflows float64: the memories, query or params are too large');
  }
  return r;
}
