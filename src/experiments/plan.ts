/**
 * Which cells a run computes: the headline (`npm start`: the paper's two levels of Synthetic and
 * MNIST, every method, HEADLINE_SEEDS seeds), the full sweep (every level, every group,
 * FULL_SEEDS seeds), or the tiny run (the headline's cells on tiny sizes, a smoke test of the whole
 * path in seconds). Headline cells are full-run cells: a full run reuses them from the cache.
 * Seeds are first, first + 1, …, first + seeds − 1.
 */
import { cellId, type CellSpec, type Group } from './cells.ts';
import { plusPlan } from './curve.ts';
import type { Family } from './difficulty.ts';
import type { Sizes, Task } from './instance.ts';
import {
  BINARY_LEVELS,
  BUDGET,
  DIAGNOSTIC_LR,
  FAMILY_LEVELS,
  FAMILY_ROWS,
  LEVELS,
  MNIST_SIZES,
  MNIST_TASK,
  PAPER_LEVELS,
  PROTOCOL_VERSION,
  SYNTHETIC_BINARY,
  TINY_BUDGET,
  TINY_MNIST,
  TINY_SIZES,
  TINY_SYNTHETIC,
  SYNTHETIC_SIZES,
  SYNTHETIC_UNIFORM,
} from './protocol.ts';

/** MNIST cells of seed 0 keep this many example queries for the strip figure. */
const STRIP_EXAMPLES = 8;

function cell(group: Group, task: Task, sizes: Sizes, family: Family, delta: number, seed: number, exampleSeed = 0): CellSpec {
  return {
    id: cellId(group, family, delta, seed),
    group,
    task,
    family,
    delta,
    seed,
    sizes,
    budget: BUDGET,
    ablations: group === 'synthetic' && family === 'composed' && (PAPER_LEVELS.synthetic as readonly number[]).includes(delta),
    keepExamples: group === 'mnist' && seed === exampleSeed ? STRIP_EXAMPLES : 0,
    version: PROTOCOL_VERSION,
    ...(group === 'mnist' && !(PAPER_LEVELS.mnist as readonly number[]).includes(delta) ? { skip: ['u2hop'] } : {}),
  };
}

function seedsOf(n: number, first = 0): number[] {
  return Array.from({ length: n }, (_, s) => first + s);
}

/** The footprint-weight figure needs A-Hop trained on each pure family: the first seed in the headline. */
const FIGURE_FAMILIES = ['noisy', 'masked', 'biased'] as const;

export function headlinePlan(seeds: number, first = 0): CellSpec[] {
  return headlineCells(seeds, first);
}

function headlineCells(seeds: number, first: number): CellSpec[] {
  return [
    ...seedsOf(seeds, first).flatMap((s) => [
      ...PAPER_LEVELS.synthetic.map((dl) => cell('synthetic', SYNTHETIC_UNIFORM, SYNTHETIC_SIZES, 'composed', dl, s, first)),
      ...PAPER_LEVELS.mnist.map((dl) => cell('mnist', MNIST_TASK, MNIST_SIZES, 'composed', dl, s, first)),
    ]),
    ...FIGURE_FAMILIES.flatMap((f) => FAMILY_LEVELS.map((dl) => cell('families', SYNTHETIC_UNIFORM, SYNTHETIC_SIZES, f, dl, first, first))),
  ];
}

/**
 * The headline's cells on tiny tasks, sizes and budget (protocol.ts, TINY_*): every code path of a
 * reproduction — workers, cache, tables, summary, figures — in seconds. Ids start with `tiny-`,
 * so a tiny run never serves or overwrites a real cell. Its numbers mean nothing.
 * @example
 * ```ts
 * import { tinyPlan } from './plan.ts';
 * const ids = tinyPlan(1, 5).map((c) => c.id);
 * if (!ids.every((id) => id.startsWith('tiny-') && id.endsWith('-s5'))) throw new Error(ids.join());
 * ```
 */
export function tinyPlan(seeds: number, first = 0): CellSpec[] {
  const tiny = (c: CellSpec): CellSpec => {
    const task = c.task.kind === 'mnist' ? TINY_MNIST : TINY_SYNTHETIC;
    return { ...c, id: `tiny-${c.id}`, task, sizes: TINY_SIZES, budget: TINY_BUDGET, keepExamples: Math.min(c.keepExamples, 3) };
  };
  return headlineCells(seeds, first).map(tiny);
}

/** The lr diagnostic: A-Hop (with Universal and Bayes for reference) at lr = DIAGNOSTIC_LR. */
function lrCell(group: 'lr-synthetic' | 'lr-mnist', delta: number, seed: number): CellSpec {
  const synthetic = group === 'lr-synthetic';
  const c = cell(group, synthetic ? SYNTHETIC_UNIFORM : MNIST_TASK, synthetic ? SYNTHETIC_SIZES : MNIST_SIZES, 'composed', delta, seed);
  return { ...c, budget: { ...BUDGET, lr: DIAGNOSTIC_LR }, ablations: false, keepExamples: 0, skip: ['mhop', 'mhop-fixed-point', 'sparse', 'u2hop', 'ahop-plus', 'ahop-plus:init'] };
}

/** Seed-major order, so an interrupted run has whole tables for its first seeds. */
export function fullPlan(seeds: number, first = 0): CellSpec[] {
  return [...mainPlan(seeds, first), ...seedsOf(seeds, first).flatMap((s) => [
    ...PAPER_LEVELS.synthetic.map((dl) => lrCell('lr-synthetic', dl, s)),
    ...PAPER_LEVELS.mnist.map((dl) => lrCell('lr-mnist', dl, s)),
  ]), ...plusPlan(seeds, first)];
}

function mainPlan(seeds: number, first: number): CellSpec[] {
  return seedsOf(seeds, first).flatMap((s) => [
    ...LEVELS.map((dl) => cell('synthetic', SYNTHETIC_UNIFORM, SYNTHETIC_SIZES, 'composed', dl, s)),
    ...FAMILY_ROWS.flatMap((f) => FAMILY_LEVELS.map((dl) => cell('families', SYNTHETIC_UNIFORM, SYNTHETIC_SIZES, f, dl, s))),
    ...BINARY_LEVELS.map((dl) => cell('binary', SYNTHETIC_BINARY, SYNTHETIC_SIZES, 'composed', dl, s)),
    ...LEVELS.map((dl) => cell('mnist', MNIST_TASK, MNIST_SIZES, 'composed', dl, s, first)),
  ]);
}
