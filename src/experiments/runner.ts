/**
 * A reproduction run: plan the cells, reuse every cached one, compute the rest on the worker
 * pool (caching each as it finishes, so an interrupted run resumes), and return all results in
 * plan order — never completion order, so a resumed or differently scheduled run renders the same
 * bytes.
 */
import { readCell, writeCell } from './cache.ts';
import type { CellResult, CellSpec } from './cells.ts';
import { fullPlan, headlinePlan, tinyPlan } from './plan.ts';
import { runPool } from './pool.ts';
import type { Job } from './worker.ts';

/** Which plan: the headline (`npm start`), the full sweep, or the tiny smoke run. */
export type RunMode = 'headline' | 'full' | 'tiny';

export interface RunOptions {
  full: boolean;
  /** The tiny plan (plan.ts, tinyPlan) instead of the headline; ignored with `full`. */
  tiny?: boolean;
  seeds: number;
  /** First seed (default 0): the run uses seeds first … first + seeds − 1. */
  firstSeed?: number;
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
  computed: number;
  cached: number;
}

/**
 * The jobs of a plan, in plan order (the other groups of a full run, tabular included, run
 * through experiments/groups.ts).
 * @example
 * ```ts
 * import { planJobs } from 'ahop/experiments';
 * if (planJobs('tiny', 2).length !== 11) throw new Error('11 tiny jobs for two seeds');
 * ```
 */
export function planJobs(mode: RunMode, seeds: number, first = 0): Job[] {
  const specs = mode === 'full' ? fullPlan(seeds, first) : mode === 'tiny' ? tinyPlan(seeds, first) : headlinePlan(seeds, first);
  return specs.map((spec) => ({ kind: 'cell', spec }));
}

export async function reproduce(o: RunOptions): Promise<RunResults> {
  const mode: RunMode = o.full ? 'full' : o.tiny === true ? 'tiny' : 'headline';
  const jobs = o.jobs ?? planJobs(mode, o.seeds, o.firstSeed ?? 0);
  // Results by job index, read back in plan order at the end.
  const results = new Map<number, unknown>();
  const todo: { job: Job; index: number }[] = [];
  jobs.forEach((job, index) => {
    const hit = readCell<CellSpec, CellResult>(o.out, job.spec);
    if (hit === undefined) todo.push({ job, index });
    else results.set(index, hit);
  });
  const cached = jobs.length - todo.length;
  o.onPlan?.(cached, todo.length);
  const indexOf = new Map(todo.map((t) => [t.job, t.index]));
  let done = 0;
  await runPool(
    todo.map((t) => t.job),
    o.workers,
    (job, result) => {
      writeCell(o.out, result as CellResult);
      results.set(indexOf.get(job)!, result);
      o.onProgress?.(++done, todo.length, job.spec.id);
    },
  );
  return {
    cells: jobs.map((_, i) => results.get(i) as CellResult),
    computed: todo.length,
    cached,
  };
}
