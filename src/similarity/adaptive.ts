/**
 * Adaptive similarity: s_sim(ξ, x) = w_simᵀ ftpt_sim(ξ, x) for sim ∈ {dis, dot}, and
 * s(ξ, x) = β_dis s_dis(ξ, x) + β_dot s_dot(ξ, x).
 */
import { ParseError, ShapeError } from '../errors.ts';
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
  const wDot = checkVector(`${name}.wDot`, p.wDot, d ?? wDis.length);
  if (wDot.length !== wDis.length) throw new ShapeError(`${name}.wDot and ${name}.wDis differ in length`);
  return {
    wDis,
    wDot,
    betaDis: checkFinite(`${name}.betaDis`, p.betaDis),
    betaDot: checkFinite(`${name}.betaDot`, p.betaDot),
  };
}

/** s_sim(ξ, x) = w_simᵀ ftpt_sim(ξ, x). */
export function componentSimilarity(
  base: Base,
  xi: readonly number[],
  x: readonly number[],
  w: readonly number[],
  options: FootprintOptions = FULL_FOOTPRINT,
): number {
  return weightedFootprint(baseSimilarities(base, xi, x), w, options);
}

/** s(ξ, x) = β_dis w_disᵀ ftpt_dis(ξ, x) + β_dot w_dotᵀ ftpt_dot(ξ, x). */
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
