/**
 * Initialisation (the paper does not give one; docs/model.md explains the choice):
 * w_dis = w_dot = e_d (the last unit vector, so w_simᵀ ftpt_sim = ftpt_sim,d = the plain base
 * similarity), β_dis = 1, β_dot = 0. A-Hop therefore starts as plain negative squared distance
 * and training can only move away from it if that lowers the loss.
 */
import { DomainError } from '../errors.ts';
import { checkFinite } from '../validate.ts';
import type { AhopParams } from '../similarity/adaptive.ts';

/**
 * The starting point w_dis = w_dot = e_d, β_dis = 1, β_dot = 0 (by default), so s(ξ, x) = −‖ξ − x‖²: plain negative squared distance.
 * @example
 * ```ts
 * import { adaptiveSimilarity, initialParams } from 'ahop';
 * if (adaptiveSimilarity([1, 2, 3], [1, 0, 3], initialParams(3)) !== -4) throw new Error('s = −‖ξ − x‖² = −4');
 * ```
 */
export function initialParams(d: number, beta: { dis: number; dot: number } = { dis: 1, dot: 0 }): AhopParams {
  if (!Number.isInteger(d) || d <= 0) throw new DomainError(`d must be a positive integer, got ${d}`);
  if (typeof beta !== 'object' || beta === null) throw new DomainError('beta must be an object { dis, dot }');
  const b = { dis: checkFinite('beta.dis', beta.dis), dot: checkFinite('beta.dot', beta.dot) };
  const unit = (): number[] => Array.from({ length: d }, (_, j) => (j === d - 1 ? 1 : 0));
  return { wDis: unit(), wDot: unit(), betaDis: b.dis, betaDot: b.dot };
}

/** θ = [w_dis, w_dot, β_dis, β_dot] as one flat vector (the layout Adam works on). */
export function flatten(p: AhopParams): Float64Array {
  return Float64Array.from([...p.wDis, ...p.wDot, p.betaDis, p.betaDot]);
}

export function unflatten(theta: ArrayLike<number>, d: number): AhopParams {
  const a = Array.from(theta);
  return { wDis: a.slice(0, d), wDot: a.slice(d, 2 * d), betaDis: a[2 * d], betaDot: a[2 * d + 1] };
}
