/**
 * Cross-entropy loss of A-Hop for one query with known source t, and its analytic gradient:
 * L(Ξ, x, t) = −log p_t, p = softmax(s(Ξ, x)). See objective.ts for the gradient's equations.
 */
import { checkProblem } from '../hopfield/ahop.ts';
import type { AhopParams } from '../similarity/adaptive.ts';
import { FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';
import { checkIndex } from '../validate.ts';
import { sortedRows } from './features.ts';
import { lossAndGradientFromRows, type LossGradient } from './objective.ts';

export type { LossGradient } from './objective.ts';

export function lossAndGradient(
  memories: readonly (readonly number[])[],
  query: readonly number[],
  target: number,
  params: AhopParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): LossGradient {
  const c = checkProblem(memories, query, params);
  const t = checkIndex('target', target, c.memories.length);
  return lossAndGradientFromRows(sortedRows(c.memories, c.query, options), c.memories.length, t, c.params, options.cumulative);
}
