/**
 * Training A-Hop: minimise L = E_{(ξ_k, x) ~ V(Ξ)}[−log p_k(x)] over (w_dis, w_dot, β_dis, β_dot)
 * with Adam (paper: 200 epochs, lr 0.1). A fixed set of pairs is drawn once from the variant; an
 * epoch is one shuffled pass over it in mini-batches, each one Adam step on the batch-mean gradient
 * (the shared loop, loop.ts); the iterate with the lowest full-batch training loss is returned.
 */
import { DomainError } from '../errors.ts';
import { checkProblem } from '../hopfield/ahop.ts';
import { createRng } from '../random/rng.ts';
import type { AhopParams } from '../similarity/adaptive.ts';
import { BASES, type Base } from '../similarity/base.ts';
import { checkFootprintOptions, FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';
import { checkMatrix } from '../validate.ts';
import type { Variant } from '../variants/variant.ts';
import { sortedRows } from './features.ts';
import { flatten, initialParams, unflatten } from './init.ts';
import { minimise, stopping, type MinimiseOptions } from './loop.ts';
import { checkSelection, misses, type Selection } from '../hopfield/correct-retrieval.ts';
import { lossAndGradientFromRows, lossFromRows, scoresFromRows, type SortedRows } from './objective.ts';
import { samplePairs, type Pairs } from './pairs.ts';

export interface TrainOptions {
  epochs: number;
  lr: number;
  /** Number of training pairs drawn from the variant. */
  pairs: number;
  batchSize: number;
  seed: number;
  footprint: FootprintOptions;
  /** Which base similarities are trained; a left-out base keeps β = 0 (the paper's dis-only / dot-only rows). */
  bases: readonly Base[];
  /** Starting point; defaults to initialParams (A-Hop = plain base similarity). */
  init?: AhopParams;
  /** Called after each epoch with its mean batch loss. */
  onEpoch?: (epoch: number, loss: number) => void;
  /** The loop's safeguard (loop.ts); default 'best-iterate'. 'none' is plain Adam, for diagnostics. */
  safeguard?: MinimiseOptions['safeguard'];
  /** Share of the pairs held out as the safeguard's validation split (loop.ts, `holdOut`); default 0. */
  validationShare?: number;
  /** Early-stopping patience in epochs (loop.ts); default: every epoch runs. */
  patience?: number;
  /** What a held-out pair counts as an error for the safeguard (hopfield/correct-retrieval.ts); default 'argmax'. */
  selection?: Selection;
}

export const TRAIN_DEFAULTS: Omit<TrainOptions, 'init' | 'onEpoch' | 'safeguard' | 'validationShare' | 'patience' | 'selection'> = {
  epochs: 200,
  lr: 0.1,
  pairs: 512,
  batchSize: 64,
  seed: 0,
  footprint: FULL_FOOTPRINT,
  bases: ['dis', 'dot'],
};

export interface TrainResult {
  params: AhopParams;
  /** losses[0]: mean training loss at the start; losses[e]: mean of epoch e's batch losses, each taken before its step. */
  losses: number[];
  /** Mean training loss at the returned parameters (never above losses[0] with the safeguard). */
  finalLoss: number;
  /** The epoch whose end state was returned (0 = the start). */
  bestEpoch: number;
}

function checkOptions(o: TrainOptions): void {
  for (const k of ['epochs', 'pairs', 'batchSize'] as const) {
    if (!Number.isInteger(o[k]) || o[k] <= 0) throw new DomainError(`${k} must be a positive integer, got ${o[k]}`);
  }
  if (!(o.lr > 0 && Number.isFinite(o.lr))) throw new DomainError(`lr must be a finite number > 0, got ${o.lr}`);
  if (!Array.isArray(o.bases) || o.bases.length === 0 || !o.bases.every((b) => BASES.includes(b))) {
    throw new DomainError(`bases must be a non-empty array of dis, dot; got ${JSON.stringify(o.bases) ?? String(o.bases)}`);
  }
  checkFootprintOptions(o.footprint, 'footprint');
  checkSelection(o.selection);
  if (o.onEpoch !== undefined && typeof o.onEpoch !== 'function') throw new DomainError('onEpoch must be a function');
}

function defaultInit(d: number, bases: readonly Base[]): AhopParams {
  return initialParams(d, bases.includes('dis') ? { dis: 1, dot: 0 } : { dis: 0, dot: 1 });
}

/**
 * Trains on pairs given explicitly (queries with their source indices).
 * Minimises L = (1/P) Σ_i −log p_{t_i}(x_i) over the given pairs (x_i, t_i) with Adam (mini-batches, seeded shuffles).
 * @example
 * ```ts
 * import { trainOnPairs } from 'ahop';
 * const memories = [[0, 0], [1, 1]];
 * const pairs = { queries: [[0.1, 0], [0.9, 1], [0.2, 0.1], [1, 0.8]], targets: [0, 1, 0, 1] };
 * const r = trainOnPairs(memories, pairs, { epochs: 10 });
 * if (!(r.finalLoss < r.losses[0]!)) throw new Error('training lowers the loss');
 * ```
 */
export function trainOnPairs(
  memories: readonly (readonly number[])[],
  pairs: Pairs,
  options: Partial<TrainOptions> = {},
): TrainResult {
  const o: TrainOptions = { ...TRAIN_DEFAULTS, ...options };
  checkOptions(o);
  const xi = checkMatrix('memories', memories);
  const n = xi.length;
  const d = xi[0].length;
  const start = o.init ?? defaultInit(d, o.bases);
  if (typeof pairs !== 'object' || pairs === null) throw new DomainError('pairs must be an object { queries, targets }');
  if (!Array.isArray(pairs.queries) || pairs.queries.length === 0) throw new DomainError('pairs.queries must be non-empty');
  if (!Array.isArray(pairs.targets) || pairs.targets.length !== pairs.queries.length) {
    throw new DomainError(`pairs.targets must have one index per query (${pairs.queries.length})`);
  }
  const rows: SortedRows[] = pairs.queries.map((q) => sortedRows(xi, checkProblem(xi, q, start).query, o.footprint));
  const targets = pairs.targets.map((t, i) => {
    if (!Number.isInteger(t) || t < 0 || t >= n) throw new DomainError(`targets[${i}] must be an index in [0, ${n}), got ${t}`);
    return t;
  });
  return trainOnRows(rows, targets, n, d, o, xi);
}

/**
 * The training run on precomputed sorted rows (one SortedRows per pair, e.g. subarray views of a
 * flat feature cache): minimise() (loop.ts, with its best-iterate safeguard) over
 * θ = [w_dis, w_dot, β_dis, β_dot] on the batch-mean objective.ts loss. Options are trusted
 * (the public entries check them); `memories` are needed for selection 'readout' only.
 * @example
 * ```ts
 * import { sortedRows } from './features.ts';
 * import { TRAIN_DEFAULTS, trainOnRows } from './train.ts';
 * const memories = [[0, 0], [1, 1]];
 * const pairs = { queries: [[0.1, 0], [0.9, 1], [0.2, 0.1], [1, 0.8]], targets: [0, 1, 0, 1] };
 * const rows = pairs.queries.map((q) => sortedRows(memories, q));
 * const r = trainOnRows(rows, pairs.targets, 2, 2, { ...TRAIN_DEFAULTS, epochs: 20 });
 * if (!(r.finalLoss <= r.losses[0])) throw new Error('the safeguard: the loss at θ* ≤ the loss at θ₀');
 * ```
 */
export function trainOnRows(
  rows: readonly SortedRows[],
  targets: readonly number[],
  n: number,
  d: number,
  o: TrainOptions,
  memories?: readonly (readonly number[])[],
): TrainResult {
  if (o.selection === 'readout' && memories === undefined) throw new DomainError("selection 'readout' needs the memories");
  const miss = misses(memories ?? [], o.selection ?? 'argmax');
  const start = o.init ?? defaultInit(d, o.bases);
  // A left-out base: β stays 0 (its w then gets zero gradient too).
  const frozen = (['dis', 'dot'] as const).filter((b) => !o.bases.includes(b)).map((b) => 2 * d + (b === 'dis' ? 0 : 1));
  const theta0 = flatten(start);
  for (const j of frozen) theta0[j] = 0;
  const cumulative = o.footprint.cumulative;
  const grad = new Float64Array(theta0.length);
  const r = minimise(
    {
      theta0,
      count: rows.length,
      batchLossGrad(theta, idx) {
        const params = unflatten(theta, d);
        grad.fill(0);
        let loss = 0;
        for (const i of idx) {
          const g = lossAndGradientFromRows(rows[i], n, targets[i], params, cumulative);
          loss += g.loss;
          for (let j = 0; j < d; j++) {
            grad[j] += g.grad.wDis[j] / idx.length;
            grad[d + j] += g.grad.wDot[j] / idx.length;
          }
          grad[2 * d] += g.grad.betaDis / idx.length;
          grad[2 * d + 1] += g.grad.betaDot / idx.length;
        }
        return { loss: loss / idx.length, grad };
      },
      batchLoss(theta, idx) {
        const params = unflatten(theta, d);
        let loss = 0;
        for (const i of idx) loss += lossFromRows(rows[i], n, targets[i], params, cumulative);
        return loss / idx.length;
      },
      batchErrors(theta, idx) {
        const params = unflatten(theta, d);
        return idx.filter((i) => miss(scoresFromRows(rows[i], n, params, cumulative).s, targets[i])).length;
      },
    },
    { epochs: o.epochs, lr: o.lr, batchSize: o.batchSize, seed: o.seed, frozen, ...stopping(o), ...(o.onEpoch ? { onEpoch: o.onEpoch } : {}) },
  );
  return { params: unflatten(r.theta, d), losses: r.losses, finalLoss: r.finalLoss, bestEpoch: r.bestEpoch };
}

/**
 * Draws `pairs` training pairs from the variant (seeded) and trains on them.
 * Minimises L = mean over pairs (ξ_k, x) ~ V(Ξ) of −log p_k(x) with Adam, on `pairs` pairs drawn once with seed + 1.
 * @example
 * ```ts
 * import { masked, train } from 'ahop';
 * const memories = [[0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 0, 1], [1, 0, 1, 0]];
 * const r = train(memories, masked(0.5, 0.05, 0, 1), { epochs: 10, pairs: 64, seed: 1 });
 * if (!(r.finalLoss < r.losses[0]!)) throw new Error('training lowers the loss');
 * ```
 */
export function train(
  memories: readonly (readonly number[])[],
  variant: Variant,
  options: Partial<TrainOptions> = {},
): TrainResult {
  const o = { ...TRAIN_DEFAULTS, ...options };
  checkOptions(o);
  const xi = checkMatrix('memories', memories, variant.dim);
  const pairs = samplePairs(xi, variant, o.pairs, createRng(o.seed + 1));
  return trainOnPairs(xi, pairs, o);
}
