/**
 * The memory classifier (docs/protocol.md, "Tabular classification"): the stored patterns are
 * training samples ξ_k with labels c_k, the values are their one-hot labels, so the layer's readout
 * is the vector of class probabilities
 *   P_c(x) = Σ_k p_k(x) 1[c_k = c],  p = softmax(s(Ξ, x)),
 * and the loss is the class cross-entropy L = −log P_t(x). Its gradient is the layer's VJP
 * (hopfield/layer.ts) with cotangent ȳ = ∂L/∂y = −e_t / P_t on the readout — no second gradient.
 * Training is the one loop (train/loop.ts).
 */
import { layerForwardValidated, layerVjpValidated, type LayerInputs } from '../../hopfield/layer.ts';
import type { AhopParams } from '../../similarity/adaptive.ts';
import { flatten, unflatten } from '../../train/init.ts';
import { minimise, type MinimiseResult } from '../../train/loop.ts';

/** A labelled memory: stored patterns, their class labels 0…classes−1, and the number of classes. */
export interface LabelledMemory {
  memories: number[][];
  labels: number[];
  classes: number;
}

/** Examples: queries and their classes. */
export interface Labelled {
  queries: number[][];
  labels: number[];
}

/**
 * One-hot rows: onehot(c)_j = 1[j = c].
 * @example
 * ```ts
 * import { oneHot } from './memory-classifier.ts';
 * if (JSON.stringify(oneHot([1, 0], 2)) !== '[[0,1],[1,0]]') throw new Error('one-hot rows');
 * ```
 */
export function oneHot(labels: readonly number[], classes: number): number[][] {
  return labels.map((c) => Array.from({ length: classes }, (_, j) => (j === c ? 1 : 0)));
}

/**
 * P_c = Σ_k p_k 1[c_k = c] for one probability vector p over the memories: the readout of the
 * one-hot values, written as a sum per class (the readable form the layer's readout is tested against).
 * @example
 * ```ts
 * import { classProbabilities } from './memory-classifier.ts';
 * if (classProbabilities([0.2, 0.5, 0.3], [0, 1, 0], 2).join() !== '0.5,0.5') throw new Error('P_c = Σ_{k: y_k = c} p_k');
 * ```
 */
export function classProbabilities(p: readonly number[], labels: readonly number[], classes: number): number[] {
  const out = new Array<number>(classes).fill(0);
  p.forEach((pk, k) => (out[labels[k]] += pk));
  return out;
}

/**
 * argmax_c P_c (ties: the lower class).
 * @example
 * ```ts
 * import { predictClass } from './memory-classifier.ts';
 * if (predictClass([0.5, 0.5]) !== 0 || predictClass([0.2, 0.8]) !== 1) throw new Error('argmax, ties to the first');
 * ```
 */
export function predictClass(P: readonly number[]): number {
  let best = 0;
  for (let c = 1; c < P.length; c++) if (P[c] > P[best]) best = c;
  return best;
}

function layerInputs(mem: LabelledMemory, queries: number[][], params: AhopParams): LayerInputs {
  return { queries, keys: mem.memories, values: oneHot(mem.labels, mem.classes), params };
}

/**
 * Class probabilities P(x_b) of a batch: the layer's readout y_b = Σ_k p_bk onehot(c_k).
 * @example
 * ```ts
 * import { classifierProbabilities } from './memory-classifier.ts';
 * const P = classifierProbabilities({ memories: [[0], [1]], labels: [0, 1], classes: 2 }, [[0.9]], { wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 });
 * if (!(P[0][1] > P[0][0])) throw new Error('x = 0.9 is nearer to the class-1 memory');
 * ```
 */
export function classifierProbabilities(mem: LabelledMemory, queries: number[][], params: AhopParams): number[][] {
  return layerForwardValidated(layerInputs(mem, queries, params)).retrieved;
}

/**
 * Mean class cross-entropy L = (1/B) Σ_b −log P_{t_b}(x_b) and ∂L/∂θ, θ = flatten(params), from
 * layerVjp with cotangent ȳ_b = −e_{t_b} / (B · P_{t_b}) and Ē = 0.
 * @example
 * ```ts
 * import { classLossGrad } from './memory-classifier.ts';
 * const mem = { memories: [[0], [1]], labels: [0, 1], classes: 2 };
 * const { loss, grad } = classLossGrad(mem, { queries: [[0.9]], labels: [1] }, { wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 });
 * if (!(loss > 0) || grad.length !== 4) throw new Error('loss = −log P_1(0.9) > 0; 2d + 2 = 4 gradient entries');
 * ```
 */
export function classLossGrad(mem: LabelledMemory, batch: Labelled, params: AhopParams): { loss: number; grad: Float64Array } {
  const inputs = layerInputs(mem, batch.queries, params);
  const P = layerForwardValidated(inputs).retrieved;
  const B = batch.queries.length;
  let loss = 0;
  const ct = P.map((row, b) => {
    const t = batch.labels[b];
    loss -= Math.log(row[t]);
    return row.map((_, c) => (c === t ? -1 / (B * row[t]) : 0));
  });
  const g = layerVjpValidated(inputs, { retrieved: ct, energy: new Array<number>(B).fill(0) });
  return { loss: loss / B, grad: flatten(g.params) };
}

/** Mean class cross-entropy without the gradient. */
export function classLoss(mem: LabelledMemory, data: Labelled, params: AhopParams): number {
  const P = classifierProbabilities(mem, data.queries, params);
  return -P.reduce((a, row, b) => a + Math.log(row[data.labels[b]]), 0) / P.length;
}

export interface ClassHeadOptions {
  epochs: number;
  lr: number;
  batchSize: number;
  seed: number;
  /** Indices of θ = [w_dis, w_dot, β_dis, β_dot] held fixed. */
  frozen?: readonly number[];
  /** Safeguard criterion data (the validation split); default the training loss. */
  validation?: Labelled;
}

/**
 * Trains the class head's similarity parameters with minimise() on the class cross-entropy.
 * @example
 * ```ts
 * import { classLossGrad, trainClassHead } from './memory-classifier.ts';
 * const mem = { memories: [[0], [1]], labels: [0, 1], classes: 2 };
 * const train = { queries: [[0.1], [0.8]], labels: [0, 1] };
 * const start = { wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 };
 * const { params } = trainClassHead(mem, train, start, { epochs: 5, lr: 0.1, batchSize: 2, seed: 0 });
 * if (!(classLossGrad(mem, train, params).loss < classLossGrad(mem, train, start).loss)) throw new Error('training lowers the class loss');
 * ```
 */
export function trainClassHead(
  mem: LabelledMemory,
  train: Labelled,
  init: AhopParams,
  o: ClassHeadOptions,
): { params: AhopParams; result: MinimiseResult } {
  const d = mem.memories[0].length;
  const pick = (idx: readonly number[]): Labelled => ({ queries: idx.map((i) => train.queries[i]), labels: idx.map((i) => train.labels[i]) });
  const validation = o.validation;
  const result = minimise(
    {
      theta0: flatten(init),
      count: train.queries.length,
      batchLossGrad: (theta, idx) => classLossGrad(mem, pick(idx), unflatten(theta, d)),
      batchLoss: (theta, idx) => classLoss(mem, pick(idx), unflatten(theta, d)),
      ...(validation === undefined ? {} : { criterion: (theta: Float64Array) => classLoss(mem, validation, unflatten(theta, d)) }),
    },
    { epochs: o.epochs, lr: o.lr, batchSize: o.batchSize, seed: o.seed, ...(o.frozen === undefined ? {} : { frozen: o.frozen }) },
  );
  return { params: unflatten(result.theta, d), result };
}
