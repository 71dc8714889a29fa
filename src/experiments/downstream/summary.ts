/**
 * Summary rows of the downstream groups, in the `{ mean, std, n, values }` shape of the other
 * groups' entries (src/experiments/aggregate.ts `stat`), and the mean ± std cell text of tables.
 */
import { stat } from '../aggregate.ts';

export interface SummaryRow {
  group: string;
  /** What varies within the group: a corruption and level, or a training-set size. */
  setting: string;
  method: string;
  metric: string;
  mean: number;
  /** Sample std (n − 1); 0 for a single seed. */
  std: number;
  n: number;
  /** Per seed, seeds ascending. */
  values: number[];
}

export interface Rendered {
  markdown: string;
  figures: { name: string; svg: string }[];
  summary: SummaryRow[];
}

/**
 * A summary row of per-seed values.
 *
 * @example
 * summaryRow('mil', '50 training bags', 'A-Hop', 'auc', [0.9, 0.8]); // mean 0.85, std 0.0707…, n 2
 */
export function summaryRow(group: string, setting: string, method: string, metric: string, values: readonly number[]): SummaryRow {
  const s = stat(values);
  return { group, setting, method, metric, mean: s.mean, std: s.std, n: s.n, values: [...values] };
}

/**
 * The table text of a summary row: mean ± std, 3 decimals.
 *
 * @example
 * meanStd({ mean: 0.9123, std: 0.0041 }); // '0.912 ± 0.004'
 */
export function meanStd(r: Pick<SummaryRow, 'mean' | 'std'>): string {
  return `${r.mean.toFixed(3)} ± ${r.std.toFixed(3)}`;
}
