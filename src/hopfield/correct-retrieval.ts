/**
 * Correct retrieval, the paper's metric: the readout y = Σ_k p_k ξ_k counts as correct when the
 * stored pattern nearest to it is the query's source, argmin_k ‖y − ξ_k‖₂ = t (ties: lowest index).
 * Training's selection criterion counts errors with it (or with the argmax of the scores).
 */
import { DomainError } from '../errors.ts';
import { argmax, softmax } from '../numeric/logsumexp.ts';
import { readout } from './ahop.ts';

/** What a held-out pair counts as an error: 'argmax' (the highest score is not the source) or 'readout' (correct retrieval fails). */
export type Selection = 'argmax' | 'readout';

/**
 * Checks a training option's selection: 'argmax' or 'readout' (absent: 'argmax').
 * @example
 * ```ts
 * import { checkSelection } from './correct-retrieval.ts';
 * if (checkSelection(undefined) !== 'argmax' || checkSelection('readout') !== 'readout') throw new Error('checkSelection');
 * ```
 */
export function checkSelection(v: unknown): Selection {
  if (v === undefined) return 'argmax';
  if (v !== 'argmax' && v !== 'readout') throw new DomainError(`selection must be 'argmax' or 'readout', got ${String(v)}`);
  return v;
}

/**
 * The stored pattern nearest to y: k* = argmin_k ‖y − ξ_k‖₂ (ties: the lowest k).
 * @example
 * ```ts
 * import { nearestMemory } from 'ahop';
 * if (nearestMemory([[0, 0], [1, 1]], [0.9, 0.8]) !== 1) throw new Error('ξ_1 is nearest');
 * ```
 */
export function nearestMemory(memories: readonly (readonly number[])[], y: readonly number[]): number {
  let best = 0;
  let bestDist = Infinity;
  memories.forEach((m, k) => {
    const dist = m.reduce((acc, v, i) => acc + (v - y[i]) ** 2, 0);
    if (dist < bestDist) {
      bestDist = dist;
      best = k;
    }
  });
  return best;
}

/**
 * Whether scores s miss the source t: 'argmax': miss = [argmax_k s_k ≠ t]; 'readout':
 * miss = [nearestMemory(Ξ, y) ≠ t] with the readout y = Σ_k softmax(s)_k ξ_k (correct retrieval fails).
 * @example
 * ```ts
 * import { misses } from 'ahop';
 * const memories = [[0, 0], [1, 1], [2, 2]];
 * // s favours ξ_0 (argmax right) but is too flat: the readout lands on ξ_1.
 * const s = [0.1, 0, 0];
 * if (misses(memories, 'argmax')(s, 0) || !misses(memories, 'readout')(s, 0)) throw new Error('misses');
 * ```
 */
export function misses(memories: readonly (readonly number[])[], selection: Selection): (s: ArrayLike<number>, target: number) => boolean {
  if (selection === 'argmax') return (s, t) => argmax(s) !== t;
  return (s, t) => nearestMemory(memories, readout(memories, softmax(Array.from(s)))) !== t;
}
