/**
 * Adaptive similarity: s_sim(ξ, x) = w_simᵀ ftpt_sim(ξ, x) for sim ∈ {dis, dot}, and
 * s(ξ, x) = β_dis s_dis(ξ, x) + β_dot s_dot(ξ, x).
 */
import { ParseError } from '../errors.ts';
import { checkFinite, checkVector } from '../validate.ts';
import { baseSimilarities, type Base } from './base.ts';
import { FULL_FOOTPRINT, weightedFootprint, type FootprintOptions } from './footprint.ts';

export interface AhopParams {
  wDis: number[];
  wDot: number[];
  betaDis: number;
  betaDot: number;
}

/** Checks that params are finite and sized for dimension d (when given). */
export function checkParams(params: unknown, d?: number, name = 'params'): AhopParams {
  if (typeof params !== 'object' || params === null) throw new ParseError(`${name} must be an object`);
  const p = params as Record<string, unknown>;
  const wDis = checkVector(`${name}.wDis`, p.wDis, d);
  // Without a given d, w_dot must match w_dis.
  const wDot = checkVector(`${name}.wDot`, p.wDot, d ?? wDis.length);
  return {
    wDis,
    wDot,
    betaDis: checkFinite(`${name}.betaDis`, p.betaDis),
    betaDot: checkFinite(`${name}.betaDot`, p.betaDot),
  };
}

/**
 * s_sim(ξ, x) = w_simᵀ ftpt_sim(ξ, x).
 * @example
 * ```ts
 * import { componentSimilarity } from 'ahop';
 * // w = (1, 0) keeps only the best dimension: dis q = (−4, 0) sorted (0, −4), so ftpt_1 = 0.
 * if (componentSimilarity('dis', [2, 1], [0, 1], [1, 0]) !== 0) throw new Error('the 1-optimal distance');
 * if (componentSimilarity('dis', [2, 1], [0, 1], [0, 1]) !== -4) throw new Error('the full distance');
 * ```
 */
export function componentSimilarity(
  base: Base,
  xi: readonly number[],
  x: readonly number[],
  w: readonly number[],
  options: FootprintOptions = FULL_FOOTPRINT,
): number {
  return weightedFootprint(baseSimilarities(base, xi, x), w, options);
}

/**
 * s(ξ, x) = β_dis w_disᵀ ftpt_dis(ξ, x) + β_dot w_dotᵀ ftpt_dot(ξ, x).
 * @example
 * ```ts
 * import { adaptiveSimilarity } from 'ahop';
 * // w = e_d picks ftpt_d, the plain base similarity: s = β_dis (−‖ξ − x‖²) + β_dot ξᵀx.
 * const params = { wDis: [0, 1], wDot: [0, 1], betaDis: 2, betaDot: 1 };
 * if (adaptiveSimilarity([1, 3], [0, 2], params) !== 2 * -2 + 6) throw new Error('s = 2 · (−2) + 1 · 6');
 * ```
 */
export function adaptiveSimilarity(
  xi: readonly number[],
  x: readonly number[],
  params: AhopParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): number {
  return (
    params.betaDis * componentSimilarity('dis', xi, x, params.wDis, options) +
    params.betaDot * componentSimilarity('dot', xi, x, params.wDot, options)
  );
}
