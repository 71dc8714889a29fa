/**
 * The A-Hop+ rows of the tables (docs/protocol.md, "A-Hop+"): the full model, its start without
 * training ("init only"), and five ablations, as BatchMethods on a cell's FeatureCache. Every row
 * starts from `initAhopPlusFromResiduals` on the cell's training pairs (computed once per cell and
 * shared; from the fit pairs alone when the budget holds out a validation split), is trained by the
 * one loop (`minimise`, train/loop.ts) with A-Hop's budget, seed and safeguard on the cached
 * objective of plus-fast.ts, and is scored with `scoreBatchPlus`.
 */
import type { TrainBudget } from '../baselines/ahop-methods.ts';
import type { Instance, Retrieval, Retriever } from '../baselines/method.ts';
import { readout } from '../hopfield/ahop.ts';
import { misses } from '../hopfield/correct-retrieval.ts';
import { retrievePlus } from '../hopfield/ahop-plus.ts';
import { scoreBatchPlus } from '../hopfield/batch-plus.ts';
import { softmax } from '../numeric/logsumexp.ts';
import type { AhopPlusParams } from '../similarity/adaptive-plus.ts';
import { FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';
import { initAhopPlusFromResiduals } from '../train/init-plus.ts';
import { holdOut, minimise, stopping } from '../train/loop.ts';
import { TRAIN_DEFAULTS } from '../train/train.ts';
import { AHOP_PLUS_GROUPS, ahopPlusLayout, packAhopPlus, unpackAhopPlus, type AhopPlusGroup } from '../train/objective-plus.ts';
import type { BatchMethod } from './ahop-family.ts';
import type { FeatureCache } from './features.ts';
import { plusObjective, plusPairs } from './plus-fast.ts';

export interface PlusRow {
  name: string;
  footprint: FootprintOptions;
  /** Trained groups; empty = not trained (the start is scored as it is). */
  free: readonly AhopPlusGroup[];
  /** The start from the residual initialisation (ablations zero a group here). */
  start: (init: AhopPlusParams) => AhopPlusParams;
}

const but = (...out: AhopPlusGroup[]) => AHOP_PLUS_GROUPS.filter((g) => !out.includes(g));
const zeros = (v: readonly number[]) => v.map(() => 0);
const same = (p: AhopPlusParams) => p;

/** Every A-Hop+ row, the full model first. */
export const AHOP_PLUS_ROWS: readonly PlusRow[] = [
  { name: 'ahop-plus', footprint: FULL_FOOTPRINT, free: AHOP_PLUS_GROUPS, start: same },
  { name: 'ahop-plus:init', footprint: FULL_FOOTPRINT, free: [], start: same },
  { name: 'ahop-plus:nolink', footprint: FULL_FOOTPRINT, free: but('link', 'gate'), start: (p) => ({ ...p, linkWeight: zeros(p.linkWeight) }) },
  { name: 'ahop-plus:nooffset', footprint: FULL_FOOTPRINT, free: but('offset'), start: (p) => ({ ...p, offset: zeros(p.offset) }) },
  { name: 'ahop-plus:noscale', footprint: FULL_FOOTPRINT, free: but('logScale'), start: (p) => ({ ...p, logScale: zeros(p.logScale) }) },
  { name: 'ahop-plus:nosort', footprint: { sort: false, cumulative: true }, free: AHOP_PLUS_GROUPS, start: same },
  { name: 'ahop-plus:nodot', footprint: FULL_FOOTPRINT, free: but('wDot', 'betaDot'), start: (p) => ({ ...p, betaDot: 0 }) },
];

/** The rows every cell runs; the others are ablations (run where A-Hop's ablations run). */
export const PLUS_MAIN = ['ahop-plus', 'ahop-plus:init'];

/** Trains one row from its start (nothing to train: the start). */
export function fitPlusRow(row: PlusRow, init: AhopPlusParams, instance: Instance, cache: FeatureCache, budget: TrainBudget): AhopPlusParams {
  const { epochs, lr, batchSize } = { ...TRAIN_DEFAULTS, ...budget };
  const start = row.start(init);
  if (row.free.length === 0) return start;
  const layout = ahopPlusLayout(start, row.free);
  const data = plusPairs(instance.memories, instance.train.queries, cache.get('train', row.footprint.sort));
  const obj = plusObjective(data, layout, row.footprint, misses(instance.memories, budget.selection ?? 'argmax'));
  const r = minimise(
    { theta0: packAhopPlus(start, layout), count: data.count, batchLossGrad: obj.lossGrad, batchLoss: obj.loss, batchErrors: obj.errors },
    { epochs, lr, batchSize, seed: instance.seed, ...stopping(budget) },
  );
  return unpackAhopPlus(r.theta, layout);
}

/**
 * The residual initialisation from the pairs the loop fits on: with a validation split (the
 * budget's validationShare), the held-out pairs are left out, so the start never sees the pairs
 * that choose among the iterates. The split is the loop's own (`holdOut`, same count and seed).
 */
function initFromFitPairs(instance: Instance, budget: TrainBudget): AhopPlusParams {
  const { fit } = holdOut(instance.train.queries.length, budget.validationShare ?? 0, instance.seed);
  return initAhopPlusFromResiduals(instance.memories, {
    queries: fit.map((i) => instance.train.queries[i]),
    targets: fit.map((i) => instance.train.targets[i]),
  });
}

/** Every A-Hop+ row bound to one cell's cache; the residual initialisation is shared by the rows. */
export function ahopPlusRows(cache: FeatureCache, budget: TrainBudget): BatchMethod[] {
  let init: AhopPlusParams | undefined;
  return AHOP_PLUS_ROWS.map((row) => {
    const fitBatch = (instance: Instance) => {
      init ??= initFromFitPairs(instance, budget);
      const params = fitPlusRow(row, init, instance, cache, budget);
      const mem = instance.memories;
      const retriever: Retriever = (q) => {
        const r = retrievePlus(mem, q, params, row.footprint);
        return { probs: r.probs, retrieved: r.retrieved };
      };
      const retrieveAll = (): Retrieval[] => {
        const test = cache.sets.test.queries;
        const n = mem.length;
        const d = mem[0].length;
        const s = scoreBatchPlus(Float64Array.from(mem.flat()), n, d, Float64Array.from(test.flat()), test.length, params, row.footprint);
        return test.map((_, i) => {
          const probs = softmax(Array.from(s.subarray(i * n, (i + 1) * n)));
          return { probs, retrieved: readout(mem, probs) };
        });
      };
      return { retriever, retrieveAll, params };
    };
    return { name: row.name, prepare: (instance: Instance) => fitBatch(instance).retriever, fitBatch };
  });
}
