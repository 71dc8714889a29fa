/**
 * The memory classifier (docs/protocol.md, "Tabular classification"): the stored patterns are
 * training samples ξ_k with labels c_k, the values are their one-hot labels, so the layer's readout
 * is the vector of class probabilities
 *   P_c(x) = Σ_k p_k(x) 1[c_k = c],  p = softmax(s(Ξ, x)),
 * and the loss is the class cross-entropy L = −log P_t(x). Its gradient is the layer's VJP
 * (hopfield/layer.ts) with cotangent ȳ = ∂L/∂y = −e_t / P_t on the readout (classLossGrad, the
 * readable form). Training runs the one loop (train/loop.ts) on the same gradient taken through the
 * scores: g = ∂L/∂s from the class cross-entropy (train/cross-entropy.ts), mapped to (w, β) by the
 * footprint VJP of the retrieval objective (train/objective.ts) on each query's sorted rows, computed
 * once (train/features.ts); a property ties the two forms. A training query that is itself a stored
 * memory leaves that memory out (its score is −∞), so the classifier never reads its own label.
 */
import { layerForwardValidated, layerVjpValidated, type LayerInputs } from '../../hopfield/layer.ts';
import type { AhopParams } from '../../similarity/adaptive.ts';
import { classCrossEntropy } from '../../train/cross-entropy.ts';
import { sortedRows } from '../../train/features.ts';
import { flatten, unflatten } from '../../train/init.ts';
import { minimise, type MinimiseResult } from '../../train/loop.ts';
import { footprintVjp, scoresFromRows, type SortedRows } from '../../train/objective.ts';
import { softmax } from '../../numeric/logsumexp.ts';

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
  /** Per query, the index of its own stored memory, left out of its softmax (−1 or absent: none). */
  self?: number[];
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
}

/** Called after each epoch with the epoch's parameters (to trace a head's validation error over training). */
export type OnEpoch<P> = (epoch: number, params: P) => void;

/** A class-loss training problem with each query's sorted rows computed once (they do not depend on θ). */
export interface ClassProblem {
  mem: LabelledMemory;
  train: Labelled;
  /** The safeguard's criterion data (the validation split); absent: the training loss. */
  validation?: Labelled;
  trainRows: SortedRows[];
  validationRows?: SortedRows[];
}

/**
 * Precomputes the sorted rows q̃ of every training (and validation) query against the memories.
 * @example
 * ```ts
 * import { classProblem } from './memory-classifier.ts';
 * const p = classProblem({ memories: [[0], [1]], labels: [0, 1], classes: 2 }, { queries: [[0.2]], labels: [0] });
 * if (p.trainRows.length !== 1 || p.trainRows[0].dis.length !== 2) throw new Error('one row per memory and query');
 * ```
 */
export function classProblem(mem: LabelledMemory, train: Labelled, validation?: Labelled): ClassProblem {
  const rows = (data: Labelled) => data.queries.map((x) => sortedRows(mem.memories, x));
  return { mem, train, trainRows: rows(train), ...(validation === undefined ? {} : { validation, validationRows: rows(validation) }) };
}

/**
 * L = −log P_t and ∂L/∂θ (θ = flatten(params)) for query i of `data` from its sorted rows:
 * s = scoresFromRows, s_self = −∞, g = classCrossEntropy(s), ∂L/∂θ = footprintVjp(g), times `scale`.
 * @example
 * ```ts
 * import { classLossGrad, classProblem, rowsClassLossGrad } from './memory-classifier.ts';
 * const mem = { memories: [[0], [1]], labels: [0, 1], classes: 2 };
 * const train = { queries: [[0.9]], labels: [1] };
 * const params = { wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 };
 * const fast = rowsClassLossGrad(mem, train, classProblem(mem, train).trainRows, 0, params);
 * if (Math.abs(fast.loss - classLossGrad(mem, train, params).loss) > 1e-12) throw new Error('the two forms agree');
 * ```
 */
export function rowsClassLossGrad(
  mem: LabelledMemory,
  data: Labelled,
  rows: readonly SortedRows[],
  i: number,
  params: AhopParams,
  scale = 1,
): { loss: number; grad: AhopParams } {
  const n = mem.memories.length;
  const { sDis, sDot, s } = scoresFromRows(rows[i], n, params, true);
  const self = data.self?.[i] ?? -1;
  if (self >= 0) s[self] = -Infinity;
  const { loss, g } = classCrossEntropy(s, mem.labels, data.labels[i]);
  if (scale !== 1) g.forEach((v, k) => (g[k] = v * scale));
  return { loss, grad: footprintVjp(rows[i], n, g, sDis, sDot, params, true) };
}

function rowsScores(mem: LabelledMemory, data: Labelled, rows: readonly SortedRows[], i: number, params: AhopParams): Float64Array {
  const { s } = scoresFromRows(rows[i], mem.memories.length, params, true);
  const self = data.self?.[i] ?? -1;
  if (self >= 0) s[self] = -Infinity;
  return s;
}

function rowsMeanLoss(mem: LabelledMemory, data: Labelled, rows: readonly SortedRows[], idx: readonly number[], params: AhopParams): number {
  return idx.reduce((a, i) => a + classCrossEntropy(rowsScores(mem, data, rows, i, params), mem.labels, data.labels[i]).loss, 0) / idx.length;
}

/**
 * The safeguard's selection criterion of every trained head: validation error, ties broken by the
 * validation class loss, C = err + 10⁻⁶ · L (one error step, 1/|validation|, outweighs any loss
 * difference the tie-break sees).
 * @example
 * ```ts
 * import { selectionCriterion } from './memory-classifier.ts';
 * if (!(selectionCriterion(0.2, 5) < selectionCriterion(0.21, 0.1))) throw new Error('error first');
 * if (!(selectionCriterion(0.2, 0.4) < selectionCriterion(0.2, 0.5))) throw new Error('then the loss');
 * ```
 */
export function selectionCriterion(error: number, loss: number): number {
  return error + 1e-6 * loss;
}

/**
 * selectionCriterion of any head on `data`, from the scores over the memories it gives query i
 * (its own memory, if any, already at −∞).
 * @example
 * ```ts
 * import { scoresCriterion, selectionCriterion } from './memory-classifier.ts';
 * const mem = { memories: [[0], [1]], labels: [0, 1], classes: 2 };
 * const c = scoresCriterion(mem, { queries: [[0], [1]], labels: [0, 0] }, () => Float64Array.of(0, -Infinity));
 * if (c !== selectionCriterion(0, 0)) throw new Error('both answer class 0 with P = 1');
 * ```
 */
export function scoresCriterion(mem: LabelledMemory, data: Labelled, scores: (i: number) => Float64Array): number {
  let wrong = 0;
  let loss = 0;
  data.queries.forEach((_, i) => {
    const s = scores(i);
    if (predictClass(classProbabilities(softmax(s), mem.labels, mem.classes)) !== data.labels[i]) wrong++;
    loss += classCrossEntropy(s, mem.labels, data.labels[i]).loss;
  });
  return selectionCriterion(wrong / data.queries.length, loss / data.queries.length);
}

/**
 * Trains the class head's similarity parameters with minimise() on the mean class cross-entropy
 * (rowsClassLossGrad); best iterate by selectionCriterion on the validation split when the problem
 * has one (else the training class loss).
 * @example
 * ```ts
 * import { classLossGrad, classProblem, trainClassHead } from './memory-classifier.ts';
 * const mem = { memories: [[0], [1]], labels: [0, 1], classes: 2 };
 * const train = { queries: [[0.1], [0.8]], labels: [0, 1] };
 * const start = { wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 };
 * const { params } = trainClassHead(classProblem(mem, train), start, { epochs: 5, lr: 0.1, batchSize: 2, seed: 0 });
 * if (!(classLossGrad(mem, train, params).loss < classLossGrad(mem, train, start).loss)) throw new Error('training lowers the class loss');
 * ```
 */
export function trainClassHead(
  problem: ClassProblem,
  init: AhopParams,
  o: ClassHeadOptions & { onEpoch?: OnEpoch<AhopParams> },
): { params: AhopParams; result: MinimiseResult } {
  const { mem, train, trainRows, validation, validationRows } = problem;
  const d = mem.memories[0].length;
  const result = minimise(
    {
      theta0: flatten(init),
      count: train.queries.length,
      batchLossGrad: (theta, idx) => {
        const params = unflatten(theta, d);
        const grad = new Float64Array(theta.length);
        let loss = 0;
        for (const i of idx) {
          const r = rowsClassLossGrad(mem, train, trainRows, i, params, 1 / idx.length);
          loss += r.loss;
          grad.set(flatten(r.grad).map((v, j) => grad[j] + v));
        }
        return { loss: loss / idx.length, grad };
      },
      batchLoss: (theta, idx) => rowsMeanLoss(mem, train, trainRows, idx, unflatten(theta, d)),
      ...(validation === undefined || validationRows === undefined
        ? {}
        : {
            criterion: (theta: Float64Array) => {
              const params = unflatten(theta, d);
              return scoresCriterion(mem, validation, (i) => rowsScores(mem, validation, validationRows, i, params));
            },
          }),
    },
    {
      epochs: o.epochs,
      lr: o.lr,
      batchSize: o.batchSize,
      seed: o.seed,
      ...(o.frozen === undefined ? {} : { frozen: o.frozen }),
      ...(o.onEpoch === undefined ? {} : { onEpoch: (e: number, _loss: number, theta: Float64Array) => o.onEpoch!(e, unflatten(theta, d)) }),
    },
  );
  return { params: unflatten(result.theta, d), result };
}
