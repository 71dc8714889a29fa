/**
 * Per-query features for training: the ordered base similarities q̃ of one query against every
 * memory. They do not depend on (w, β), so each training query is sorted once, not once per step.
 */
import { baseSimilarities } from '../similarity/base.ts';
import { FULL_FOOTPRINT, ordered, type FootprintOptions } from '../similarity/footprint.ts';
import type { SortedRows } from './objective.ts';

/**
 * sort↓(ξ_k ⊙ x) for every memory, row-major N×d: the dot rows alone (A-Hop+ transforms only the
 * distance base, so these are all it can sort ahead of training).
 * @example
 * ```ts
 * import { sortedDotRows } from './features.ts';
 * if (Array.from(sortedDotRows([[1, 2], [3, 4]], [1, -1])).join() !== '1,-2,3,-4') throw new Error('sortedDotRows');
 * ```
 */
export function sortedDotRows(
  memories: readonly (readonly number[])[],
  query: readonly number[],
  options: FootprintOptions = FULL_FOOTPRINT,
): Float64Array {
  const d = query.length;
  const dot = new Float64Array(memories.length * d);
  memories.forEach((m, k) => dot.set(ordered(baseSimilarities('dot', m, query), options), k * d));
  return dot;
}

/**
 * The sorted rows q̃_dis and q̃_dot of one query against every memory, row-major N×d.
 * @example
 * ```ts
 * import { sortedRows } from './features.ts';
 * if (Array.from(sortedRows([[0, 2]], [1, 1]).dis).join() !== '-1,-1') throw new Error('sortedRows');
 * ```
 */
export function sortedRows(
  memories: readonly (readonly number[])[],
  query: readonly number[],
  options: FootprintOptions = FULL_FOOTPRINT,
): SortedRows {
  const d = query.length;
  const dis = new Float64Array(memories.length * d);
  memories.forEach((m, k) => dis.set(ordered(baseSimilarities('dis', m, query), options), k * d));
  return { dis, dot: sortedDotRows(memories, query, options) };
}
