/**
 * Per-query features for training: the ordered base similarities q̃ of one query against every
 * memory. They do not depend on (w, β), so each training query is sorted once, not once per step.
 */
import { baseSimilarities } from '../similarity/base.ts';
import { FULL_FOOTPRINT, ordered, type FootprintOptions } from '../similarity/footprint.ts';
import type { SortedRows } from './objective.ts';

export function sortedRows(
  memories: readonly (readonly number[])[],
  query: readonly number[],
  options: FootprintOptions = FULL_FOOTPRINT,
): SortedRows {
  const d = query.length;
  const dis = new Float64Array(memories.length * d);
  const dot = new Float64Array(memories.length * d);
  memories.forEach((m, k) => {
    dis.set(ordered(baseSimilarities('dis', m, query), options), k * d);
    dot.set(ordered(baseSimilarities('dot', m, query), options), k * d);
  });
  return { dis, dot };
}
