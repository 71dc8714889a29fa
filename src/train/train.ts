/**
 * Training A-Hop: minimise L = E_{(ξ_k, x) ~ V(Ξ)}[−log p_k(x)] over (w_dis, w_dot, β_dis, β_dot)
 * with Adam (paper: 200 epochs, lr 0.1). A fixed set of pairs is drawn once from the variant; an
 * epoch is one shuffled pass over it in mini-batches, each one Adam step on the batch-mean gradient.
 */
import { DomainError } from '../errors.ts';
import { checkProblem } from '../hopfield/ahop.ts';
import { createRng } from '../random/rng.ts';
import type { AhopParams } from '../similarity/adaptive.ts';
import { BASES, type Base } from '../similarity/base.ts';
import { checkFootprintOptions, FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';
import { checkMatrix } from '../validate.ts';
import type { Variant } from '../variants/variant.ts';
import { createAdam } from './adam.ts';
import { sortedRows } from './features.ts';
import { flatten, initialParams, unflatten } from './init.ts';
import { lossAndGradientFromRows, type SortedRows } from './objective.ts';
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
}

export const TRAIN_DEFAULTS: Omit<TrainOptions, 'init' | 'onEpoch'> = {
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
  /** Mean training loss at the returned parameters. */
  finalLoss: number;
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
  const frozen = (['dis', 'dot'] as const).filter((b) => !o.bases.includes(b));
  const theta = flatten(start);
  for (const b of frozen) theta[2 * d + (b === 'dis' ? 0 : 1)] = 0;
  const adam = createAdam(theta.length, { lr: o.lr });
  const rng = createRng(o.seed);
  const order = targets.map((_, i) => i);

  const batchLoss = (idx: readonly number[], withGrad: boolean) => {
    const params = unflatten(theta, d);
    const g = new Float64Array(theta.length);
    let loss = 0;
    for (const i of idx) {
      const r = lossAndGradientFromRows(rows[i], n, targets[i], params, o.footprint.cumulative);
      loss += r.loss;
      if (withGrad) flatten(r.grad).forEach((v, j) => (g[j] += v / idx.length));
    }
    // A left-out base: β stays 0, so its w gets zero gradient too.
    for (const b of frozen) g[2 * d + (b === 'dis' ? 0 : 1)] = 0;
    return { loss: loss / idx.length, g };
  };

  const losses = [batchLoss(order, false).loss];
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    let epochLoss = 0;
    // Fisher–Yates shuffle with the seeded stream.
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let s = 0; s < order.length; s += o.batchSize) {
      const batch = order.slice(s, s + o.batchSize);
      const r = batchLoss(batch, true);
      epochLoss += r.loss * batch.length;
      adam.step(theta, r.g);
    }
    if (!theta.every(Number.isFinite)) {
      throw new DomainError(`training diverged at epoch ${epoch} (non-finite parameters); lower lr`);
    }
    losses.push(epochLoss / order.length);
    o.onEpoch?.(epoch, losses[epoch]);
  }
  return { params: unflatten(theta, d), losses, finalLoss: batchLoss(order, false).loss };
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
