/**
 * A reproduction run: plan the cells, reuse every cached one, compute the rest on the worker
 * pool (caching each as it finishes, so an interrupted run resumes), and return all results.
 */
import { readCell, writeCell } from './cache.ts';
import type { CellResult, CellSpec } from './cells.ts';
import { fullPlan, headlinePlan, tabularPlan } from './plan.ts';
import { runPool } from './pool.ts';
import type { TabularResult, TabularSpec } from './tabular/cells.ts';
import type { Job } from './worker.ts';

export interface RunOptions {
  full: boolean;
  seeds: number;
  out: string;
  workers: number;
  /** Run exactly these jobs instead of the planned ones (tests use tiny cells). */
  jobs?: readonly Job[];
  /** Called with (finished, total to compute, id of the cell just done). */
  onProgress?: (done: number, total: number, id: string) => void;
  /** Called once with the number of cells reused from the cache and to compute. */
  onPlan?: (cached: number, toCompute: number) => void;
}

export interface RunResults {
  cells: CellResult[];
  tabular: TabularResult[];
  computed: number;
  cached: number;
}

export function planJobs(full: boolean, seeds: number): Job[] {
  const cells: Job[] = (full ? fullPlan(seeds) : headlinePlan(seeds)).map((spec) => ({ kind: 'cell', spec }));
  const tab: Job[] = full ? tabularPlan(seeds).map((spec) => ({ kind: 'tabular', spec })) : [];
  return [...cells, ...tab];
}

export async function reproduce(o: RunOptions): Promise<RunResults> {
  const jobs = o.jobs ?? planJobs(o.full, o.seeds);
  const cells: CellResult[] = [];
  const tabular: TabularResult[] = [];
  const keep = (job: Job, result: unknown) => {
    if (job.kind === 'cell') cells.push(result as CellResult);
    else tabular.push(result as TabularResult);
  };
  const todo: Job[] = [];
  for (const job of jobs) {
    const hit = job.kind === 'cell' ? readCell<CellSpec, CellResult>(o.out, job.spec) : readCell<TabularSpec, TabularResult>(o.out, job.spec);
    if (hit === undefined) todo.push(job);
    else keep(job, hit);
  }
  const cached = jobs.length - todo.length;
  o.onPlan?.(cached, todo.length);
  let done = 0;
  await runPool(todo, o.workers, (job, result) => {
    writeCell(o.out, result as CellResult | TabularResult);
    keep(job, result);
    o.onProgress?.(++done, todo.length, job.spec.id);
  });
  return { cells, tabular, computed: todo.length, cached };
}
