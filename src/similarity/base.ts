/**
 * Per-dimension base similarities q_i = sim(ξ_i, x_i), decomposable so they can be sorted:
 * dis: q_i = −(ξ_i − x_i)²;  dot: q_i = ξ_i · x_i.
 */
export type Base = 'dis' | 'dot';

export const BASES: readonly Base[] = ['dis', 'dot'];

/**
 * q = (sim(ξ_1, x_1), …, sim(ξ_d, x_d)). Summing q gives the plain base similarity.
 * @example
 * ```ts
 * import { baseSimilarities } from 'ahop';
 * if (baseSimilarities('dis', [1, 2], [1, 0]).join() !== '0,-4') throw new Error('q_i = −(ξ_i − x_i)²');
 * if (baseSimilarities('dot', [1, 2], [3, 4]).join() !== '3,8') throw new Error('q_i = ξ_i · x_i');
 * ```
 */
export function baseSimilarities(base: Base, xi: readonly number[], x: readonly number[]): number[] {
  return base === 'dis' ? xi.map((m, i) => -((m - x[i]) ** 2)) : xi.map((m, i) => m * x[i]);
}
