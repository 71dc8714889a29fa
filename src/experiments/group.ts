/**
 * The interface every experiment group of `ahop reproduce --only` implements (tabular, concepts,
 * and the downstream groups), so the runner plans, caches, runs and renders them alike:
 *   plan(seeds, { tiny }) → specs (each with id, version, seed; the cache key is the id, reuse
 *   requires the stored spec to equal the planned one),
 *   runCell(spec) → result (carrying its spec),
 *   render(results) → markdown, SVG figures, and summary rows { group, setting, method, metric,
 *   mean, std, n, values } in the group's canonical order.
 */
import { stat } from './aggregate.ts';

export interface GroupSpec {
  id: string;
  version: number | string;
  seed: number;
}

export interface SummaryRow {
  group: string;
  /** What the row is about within the group, e.g. the data set or "C=256". */
  setting: string;
  method: string;
  /** e.g. "accuracy", "auc". */
  metric: string;
  mean: number;
  /** Sample std (n − 1); 0 for one seed. */
  std: number;
  n: number;
  /** One value per seed, in seed order. */
  values: number[];
}

export interface GroupRender {
  markdown: string;
  figures: { name: string; svg: string }[];
  summary: SummaryRow[];
}

export interface PlanOptions {
  tiny?: boolean;
  /** First seed (default 0): cells use seeds first … first + seeds − 1. */
  firstSeed?: number;
}

export interface ExperimentGroup<S extends GroupSpec = GroupSpec, R extends { spec: S } = { spec: S }> {
  plan(seeds: number, options: PlanOptions): S[];
  runCell(spec: S): Promise<R>;
  render(results: R[]): GroupRender | Promise<GroupRender>;
}

/**
 * A summary row from per-seed values.
 * @example
 * ```ts
 * import { summaryRow } from './group.ts';
 * const r = summaryRow('tabular', 'diabetes', 'ahop', 'accuracy', [0.7, 0.8]);
 * if (Math.abs(r.mean - 0.75) > 1e-12) throw new Error('mean = 0.75');
 * ```
 */
export function summaryRow(group: string, setting: string, method: string, metric: string, values: readonly number[]): SummaryRow {
  const s = stat(values);
  return { group, setting, method, metric, mean: s.mean, std: s.std, n: s.n, values: [...values] };
}

/** Seeds first … first + n − 1. */
export function seedList(n: number, first = 0): number[] {
  return Array.from({ length: n }, (_, i) => first + i);
}
