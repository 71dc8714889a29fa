/**
 * Summary rows of the downstream groups (group.ts's shape, shared by every group) and the
 * mean ± std cell text of their tables.
 */
import type { SummaryRow } from '../group.ts';

// One summary-row shape for every group (group.ts).
export { summaryRow, type GroupRender as Rendered, type SummaryRow } from '../group.ts';

/**
 * The table text of a summary row: mean ± std, 3 decimals.
 *
 * @example
 * ```ts
 * import { meanStd } from './summary.ts';
 * if (meanStd({ mean: 0.9123, std: 0.0041 }) !== '0.912 ± 0.004') throw new Error('three decimals');
 * ```
 */
export function meanStd(r: Pick<SummaryRow, 'mean' | 'std'>): string {
  return `${r.mean.toFixed(3)} ± ${r.std.toFixed(3)}`;
}
