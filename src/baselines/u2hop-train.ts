/**
 * Training U2-Hop: minimise L = E_{(ξ_t, x)}[−log p_t(x)] over W with the loop A-Hop trains with
 * (train/loop.ts): the instance's fixed set of pairs, an epoch is one seeded shuffled pass in
 * mini-batches, one Adam step per batch on the batch-mean gradient, best-iterate restore; same
 * defaults (200 epochs, lr 0.1, batches of 64).
 */
import { DomainError } from '../errors.ts';
import { readout } from '../hopfield/ahop.ts';
import { checkSelection, misses, type Selection } from '../hopfield/correct-retrieval.ts';
import { crossEntropyLoss } from '../train/cross-entropy.ts';
import { minimise, stopping, type MinimiseOptions } from '../train/loop.ts';
import type { Pairs } from '../train/pairs.ts';
import { TRAIN_DEFAULTS } from '../train/train.ts';
import { checkBeta, checkInstance, checkMemories, checkPairs, checkQuery } from './checks.ts';
import { defined } from './defined.ts';
import type { Method } from './method.ts';
import { defaultBeta } from './mhop.ts';
import { applyMap, checkU2Model, identityMap, kernelScores, u2ClassLossMapped, u2LossAndGradientMapped, type U2ClassData, type U2Model } from './u2hop.ts';
import { softmaxSeparation } from './separation.ts';

export interface U2TrainOptions {
  epochs: number;
  lr: number;
  batchSize: number;
  seed: number;
  /** Fixed β; default 1/√d. */
  beta?: number;
  /** Starting W (d×d row-major); default the identity. */
  init?: Float64Array;
  /** The loop's safeguard (train/loop.ts); default 'best-iterate'. */
  safeguard?: MinimiseOptions['safeguard'];
  /** Share of the pairs held out as the safeguard's validation split (train/loop.ts); default 0. */
  validationShare?: number;
  /** Early-stopping patience in epochs (train/loop.ts); default: every epoch runs. */
  patience?: number;
  /** What a held-out pair counts as an error for the safeguard (hopfield/correct-retrieval.ts); default 'argmax'. */
  selection?: Selection;
}

export interface U2TrainResult {
  model: U2Model;
  /** losses[0]: mean loss at the start; losses[e]: mean of epoch e's batch losses, each before its step. */
  losses: number[];
  /** Mean training loss at the returned W (never above losses[0] with the safeguard). */
  finalLoss: number;
  /** The epoch whose end state was returned (0 = the start). */
  bestEpoch: number;
}

export const U2_TRAIN_DEFAULTS: U2TrainOptions = {
  epochs: TRAIN_DEFAULTS.epochs,
  lr: TRAIN_DEFAULTS.lr,
  batchSize: TRAIN_DEFAULTS.batchSize,
  seed: 0,
};

/**
 * Trains U2-Hop's map W: minimises L = (1/P) Σ_i −log softmax(β ⟨W ξ_k, W x_i⟩)_{t_i} with Adam, as A-Hop is trained.
 * @example
 * ```ts
 * import { trainU2 } from 'ahop';
 * const memories = [[0, 0], [1, 1]];
 * const pairs = { queries: [[0.1, 0], [0.9, 1], [0.2, 0.1], [1, 0.8]], targets: [0, 1, 0, 1] };
 * const r = trainU2(memories, pairs, { epochs: 10 });
 * if (!(r.finalLoss < r.losses[0]!)) throw new Error('training lowers the loss');
 * ```
 */
export function trainU2(memories: unknown, pairs: Pairs, options: Partial<U2TrainOptions> = {}): U2TrainResult {
  const o = { ...U2_TRAIN_DEFAULTS, ...defined(options) };
  for (const k of ['epochs', 'batchSize'] as const) {
    if (!Number.isInteger(o[k]) || o[k] <= 0) throw new DomainError(`${k} must be a positive integer, got ${o[k]}`);
  }
  if (!(o.lr > 0 && Number.isFinite(o.lr))) throw new DomainError(`lr must be a finite number > 0, got ${o.lr}`);
  const xi = checkMemories(memories);
  const d = xi[0].length;
  const train = checkPairs(pairs, xi.length, d);
  const model = checkU2Model({ d, w: Float64Array.from(o.init ?? identityMap(d)), beta: o.beta ?? defaultBeta(d) });
  const grad = new Float64Array(d * d);
  const miss = misses(xi, checkSelection(o.selection));
  const r = minimise(
    {
      theta0: model.w,
      count: train.targets.length,
      batchLossGrad(w, idx) {
        const m = { ...model, w };
        const mapped = xi.map((row) => applyMap(w, d, row));
        grad.fill(0);
        let loss = 0;
        for (const i of idx) loss += u2LossAndGradientMapped(xi, mapped, train.queries[i], train.targets[i], m, grad, 1 / idx.length);
        return { loss: loss / idx.length, grad };
      },
      batchLoss(w, idx) {
        const mapped = xi.map((row) => applyMap(w, d, row));
        let loss = 0;
        for (const i of idx) {
          const s = kernelScores(mapped, applyMap(w, d, train.queries[i])).map((v) => model.beta * v);
          loss += crossEntropyLoss(s, train.targets[i]);
        }
        return loss / idx.length;
      },
      batchErrors(w, idx) {
        const mapped = xi.map((row) => applyMap(w, d, row));
        return idx.filter((i) => miss(kernelScores(mapped, applyMap(w, d, train.queries[i])).map((v) => model.beta * v), train.targets[i])).length;
      },
    },
    { epochs: o.epochs, lr: o.lr, batchSize: o.batchSize, seed: o.seed, ...stopping(o) },
  );
  return { model: { ...model, w: r.theta }, losses: r.losses, finalLoss: r.finalLoss, bestEpoch: r.bestEpoch };
}

/**
 * U2-Hop's map W trained as a memory classifier: minimises the mean class cross-entropy
 * (1/P) Σ_i −log Σ_{k: c_k = t_i} softmax(β ⟨W ξ_k, W x_i⟩)_k with the one loop (train/loop.ts),
 * best iterate by `criterion` (e.g. a validation split's error) when given, else the training class loss.
 * @example
 * ```ts
 * import { trainU2Class } from './u2hop-train.ts';
 * const memories = [[0, 0], [0.2, 0], [1, 1], [1, 0.8]];
 * const labels = [0, 0, 1, 1];
 * const train = { queries: memories, labels, self: [0, 1, 2, 3] };
 * const r = trainU2Class(memories, labels, train, { epochs: 10 });
 * if (!(r.finalLoss <= r.losses[0]!)) throw new Error('the safeguard: never worse than the start');
 * ```
 */
export function trainU2Class(
  memories: readonly (readonly number[])[],
  memoryLabels: readonly number[],
  train: U2ClassData,
  options: Partial<U2TrainOptions> & { criterion?: (model: U2Model) => number } = {},
): U2TrainResult {
  const { criterion, ...rest } = options;
  const o = { ...U2_TRAIN_DEFAULTS, ...defined(rest) };
  const xi = checkMemories(memories);
  const d = xi[0].length;
  if (memoryLabels.length !== xi.length) throw new DomainError(`memoryLabels must have one label per memory (${xi.length}), got ${memoryLabels.length}`);
  const model = checkU2Model({ d, w: Float64Array.from(o.init ?? identityMap(d)), beta: o.beta ?? defaultBeta(d) });
  const grad = new Float64Array(d * d);
  const mapAll = (w: Float64Array) => xi.map((row) => applyMap(w, d, row));
  const meanLoss = (w: Float64Array, data: U2ClassData, idx: readonly number[]) => {
    const mapped = mapAll(w);
    return idx.reduce((a, i) => a + u2ClassLossMapped(xi, mapped, memoryLabels, data, i, { ...model, w }), 0) / idx.length;
  };
  const r = minimise(
    {
      theta0: model.w,
      count: train.queries.length,
      batchLossGrad(w, idx) {
        const mapped = mapAll(w);
        grad.fill(0);
        let loss = 0;
        for (const i of idx) loss += u2ClassLossMapped(xi, mapped, memoryLabels, train, i, { ...model, w }, grad, 1 / idx.length);
        return { loss: loss / idx.length, grad };
      },
      batchLoss: (w, idx) => meanLoss(w, train, idx),
      ...(criterion === undefined ? {} : { criterion: (w: Float64Array) => criterion({ ...model, w }) }),
    },
    { epochs: o.epochs, lr: o.lr, batchSize: o.batchSize, seed: o.seed, ...(o.safeguard ? { safeguard: o.safeguard } : {}) },
  );
  return { model: { ...model, w: r.theta }, losses: r.losses, finalLoss: r.finalLoss, bestEpoch: r.bestEpoch };
}

export interface U2MethodOptions extends Partial<Omit<U2TrainOptions, 'seed' | 'init'>> {}

/** U2-Hop as a Method: prepare trains W on the instance's pairs (seeded by the instance). */
export function u2hopMethod(options: U2MethodOptions = {}, name = 'u2hop'): Method {
  if (options.beta !== undefined) checkBeta(options.beta);
  return {
    name,
    prepare(raw) {
      const instance = checkInstance(raw);
      const xi = checkMemories(instance.memories);
      const d = xi[0].length;
      const { model } = trainU2(xi, instance.train, { ...options, seed: instance.seed });
      // W is fixed after training, so the mapped memories W ξ_k are computed once.
      const mapped = xi.map((m) => applyMap(model.w, d, m));
      return (query) => {
        const x = checkQuery(query, d);
        const probs = softmaxSeparation(kernelScores(mapped, applyMap(model.w, d, x)), model.beta);
        return { probs, retrieved: readout(xi, probs) };
      };
    },
  };
}
