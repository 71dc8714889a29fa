/**
 * The A-Hop+ experiments beyond the main tables (docs/protocol.md, "A-Hop+" and "Learning
 * curve"), both part of `--full` only:
 * - A-Hop+'s ablations, on the Synthetic instances where A-Hop's ablations run (group
 *   `ablation-plus`: the same task, variant, δ and seed, so the same memories, pairs and queries);
 * - the learning curve: Bayes − method against the number of training pairs P, on Synthetic
 *   composed δ 0.5 and MNIST composed δ 0.7 (groups `curve-synthetic-P`, `curve-mnist-P`). P = 256
 *   is the main tables' own instance, so its point is read from those cells.
 */
import { pairedDiff, rowKey, stat, type Row, type Stat } from './aggregate.ts';
import { cellId, type CellSpec, type Group } from './cells.ts';
import type { Sizes, Task } from './instance.ts';
import { LABELS } from './methods.ts';
import { BUDGET, MNIST_SIZES, MNIST_TASK, PAPER_LEVELS, PROTOCOL_VERSION, SYNTHETIC_SIZES, SYNTHETIC_UNIFORM } from './protocol.ts';
import type { Table } from './table.ts';
import { fmt } from './tables.ts';

/** Training-pair counts of the learning curve; the protocol's 256 is the main tables' instance. */
export const CURVE_PAIRS: readonly number[] = [64, 256, 1024, 4096];
/** The methods on the curve (Bayes is its reference). */
export const CURVE_METHODS = ['ahop', 'ahop-plus', 'ahop-plus:init'];
/** The A-Hop+ ablation rows. */
export const PLUS_ABLATIONS = ['ahop-plus:nolink', 'ahop-plus:nooffset', 'ahop-plus:noscale', 'ahop-plus:nosort', 'ahop-plus:nodot'];
/** Every method of the roster a curve or ablation cell leaves out. */
const OTHERS = ['mhop', 'mhop-fixed-point', 'sparse', 'universal', 'u2hop'];

export interface CurveTask {
  base: 'synthetic' | 'mnist';
  label: string;
  task: Task;
  sizes: Sizes;
  delta: number;
}

export const CURVE_TASKS: readonly CurveTask[] = [
  { base: 'synthetic', label: 'Synthetic δ 0.5', task: SYNTHETIC_UNIFORM, sizes: SYNTHETIC_SIZES, delta: 0.5 },
  { base: 'mnist', label: 'MNIST δ 0.7', task: MNIST_TASK, sizes: MNIST_SIZES, delta: 0.7 },
];

export function curveGroup(base: CurveTask['base'], pairs: number): Group {
  return `curve-${base}-${pairs}`;
}

/**
 * One learning-curve cell: the main table's instance with `pairs` training pairs; A-Hop, A-Hop+,
 * its start and Bayes only.
 * @example
 * ```ts
 * import { CURVE_TASKS, curveCell } from './curve.ts';
 * const id = curveCell(CURVE_TASKS[0], 1024, 3).id;
 * if (id !== 'curve-synthetic-1024-composed-0.50-s3') throw new Error(id);
 * ```
 */
export function curveCell(t: CurveTask, pairs: number, seed: number): CellSpec {
  const group = curveGroup(t.base, pairs);
  return {
    id: cellId(group, 'composed', t.delta, seed),
    group,
    task: t.task,
    family: 'composed',
    delta: t.delta,
    seed,
    sizes: { ...t.sizes, trainPairs: pairs },
    budget: BUDGET,
    ablations: false,
    keepExamples: 0,
    version: PROTOCOL_VERSION,
    skip: OTHERS,
  };
}

/** One A-Hop+ ablation cell: the Synthetic ablation instance at δ, the five ablation rows (and Bayes). */
export function plusAblationCell(delta: number, seed: number): CellSpec {
  return {
    id: cellId('ablation-plus', 'composed', delta, seed),
    group: 'ablation-plus',
    task: SYNTHETIC_UNIFORM,
    family: 'composed',
    delta,
    seed,
    sizes: SYNTHETIC_SIZES,
    budget: BUDGET,
    ablations: false,
    plusAblations: true,
    keepExamples: 0,
    version: PROTOCOL_VERSION,
    skip: [...OTHERS, 'ahop', 'ahop-plus', 'ahop-plus:init'],
  };
}

const seedsOf = (n: number, first: number) => Array.from({ length: n }, (_, s) => first + s);

/** The full run's A-Hop+ cells, seed-major: ablations, then the curve (P ≠ 256; cheapest first). */
export function plusPlan(seeds: number, first = 0): CellSpec[] {
  return seedsOf(seeds, first).flatMap((s) => [
    ...PAPER_LEVELS.synthetic.map((dl) => plusAblationCell(dl, s)),
    ...CURVE_PAIRS.filter((p) => p !== 256).flatMap((p) => CURVE_TASKS.map((t) => curveCell(t, p, s))),
  ]);
}

/** The row of a curve point: the main table's cells at P = 256, the curve's own otherwise. */
function curveRow(rows: Map<string, Row>, t: CurveTask, pairs: number): Row | undefined {
  return rows.get(rowKey(pairs === 256 ? t.base : curveGroup(t.base, pairs), 'composed', t.delta));
}

export interface CurvePoint {
  task: string;
  pairs: number;
  method: string;
  gap: Stat;
}

/** Bayes − method, paired per seed, for every (task, P, method) that has cells. */
export function curvePoints(rows: Map<string, Row>): CurvePoint[] {
  return CURVE_TASKS.flatMap((t) =>
    CURVE_PAIRS.flatMap((pairs) => {
      const row = curveRow(rows, t, pairs);
      if (row?.accuracy.bayes === undefined) return [];
      return CURVE_METHODS.filter((m) => row.accuracy[m] !== undefined).map((m) => ({ task: t.label, pairs, method: m, gap: pairedDiff(row, 'bayes', m) }));
    }),
  );
}

const gapText = (s: Stat | undefined): string => (s === undefined ? '–' : fmt(s));

/** "Learning curve": Bayes − method per training-pair count, both tasks; undefined without curve cells. */
export function curveTable(rows: Map<string, Row>): Table | undefined {
  const points = curvePoints(rows);
  if (!points.some((p) => p.pairs !== 256)) return undefined;
  const cols = CURVE_TASKS.flatMap((t) => CURVE_METHODS.map((m) => ({ t, m })));
  const seeds = [...new Set(points.map((p) => p.gap.n))].sort((a, b) => a - b);
  return {
    title: 'Learning curve',
    header: ['training pairs', ...cols.map(({ t, m }) => `${t.label}: Bayes − ${LABELS[m] ?? m}`)],
    rows: CURVE_PAIRS.map((pairs) => [
      String(pairs),
      ...cols.map(({ t, m }) => gapText(points.find((p) => p.task === t.label && p.pairs === pairs && p.method === m)?.gap)),
    ]),
    notes: [
      `Bayes − method vs training pairs (composed variant; figures/learning-curve.svg): Bayes oracle − method in correct retrieval, paired per seed, mean ± std over ${seeds.join('/')} seeds; the same memories, variant, test queries and seeds as the main tables, P training pairs from the same training stream; 256 is the main table's instance. At most 200 epochs, lr 0.1, batches of 64, the training safeguard (a quarter of the P pairs held out, early stopping).`,
    ],
  };
}

/** A-Hop+ with each part removed, beside A-Hop+, its start, A-Hop and Bayes on the same instances. */
export function plusAblationTable(rows: Map<string, Row>): Table | undefined {
  const levels = PAPER_LEVELS.synthetic;
  if (!levels.some((dl) => rows.has(rowKey('ablation-plus', 'composed', dl)))) return undefined;
  const get = (group: string, dl: number, m: string) => {
    const acc = rows.get(rowKey(group, 'composed', dl))?.accuracy[m];
    return acc === undefined ? '–' : fmt(stat(acc));
  };
  const main = ['ahop-plus', 'ahop-plus:init'];
  return {
    title: 'A-Hop+ ablations (Synthetic uniform, composed variant)',
    header: ['configuration', ...levels.map((dl) => `δ = ${dl.toFixed(1)}`)],
    rows: [
      ...main.map((m) => [LABELS[m] ?? m, ...levels.map((dl) => get('synthetic', dl, m))]),
      ...PLUS_ABLATIONS.map((m) => [LABELS[m] ?? m, ...levels.map((dl) => get('ablation-plus', dl, m))]),
      [LABELS.ahop, ...levels.map((dl) => get('synthetic', dl, 'ahop'))],
      [LABELS.bayes, ...levels.map((dl) => get('synthetic', dl, 'bayes'))],
    ],
    notes: ['Correct retrieval, mean ± std over seeds. Every row starts from the same residual initialisation of the same training pairs and trains with the protocol\'s budget; an ablation freezes its part at the value named.'],
  };
}

