/**
 * The memory classifier (memory-classifier.ts) with the A-Hop+ similarity (similarity/adaptive-plus.ts):
 *   P_c(x) = Σ_k p_k(x) 1[c_k = c],  p = softmax(s⁺(Ξ, x)),  L = −log P_t(x).
 * Training maps the class cross-entropy's g = ∂L/∂s (train/cross-entropy.ts) to every A-Hop+
 * parameter with A-Hop+'s own score VJP (train/objective-plus.ts), so neither the loss nor the
 * gradient is written twice; a training query that is itself a stored memory leaves that memory
 * out (its score is −∞), as in the A-Hop head.
 */
import { softmax } from '../../numeric/logsumexp.ts';
import { ahopPlusScores, type AhopPlusParams } from '../../similarity/adaptive-plus.ts';
import { FULL_FOOTPRINT } from '../../similarity/footprint.ts';
import { classCrossEntropy } from '../../train/cross-entropy.ts';
import { minimise, type MinimiseResult } from '../../train/loop.ts';
import { sortedDotRows } from '../../train/features.ts';
import { scoresFromRows } from '../../train/objective.ts';
import { ahopPlusRows, ahopPlusScoreVjpUnchecked, packAhopPlus, packGradient, unpackAhopPlus, type AhopPlusLayout } from '../../train/objective-plus.ts';
import { classProbabilities, predictClass, scoresCriterion, type ClassHeadOptions, type Labelled, type LabelledMemory, type OnEpoch } from './memory-classifier.ts';

/** Queries with their sorted dot rows sort↓(ξ_k ⊙ x) against the memories, computed once (they do not depend on θ). */
export interface PlusQueries extends Labelled {
  dotRows: ArrayLike<number>[];
}

/**
 * Attaches each query's sorted dot rows against the memories (train/features.ts).
 * @example
 * ```ts
 * import { withDotRows } from './memory-classifier-plus.ts';
 * const q = withDotRows({ memories: [[1, 2], [3, 4]], labels: [0, 1], classes: 2 }, { queries: [[1, -1]], labels: [0] });
 * if (Array.from(q.dotRows[0]).join() !== '1,-2,3,-4') throw new Error('sort↓(ξ_k ⊙ x) per memory');
 * ```
 */
export function withDotRows(mem: LabelledMemory, data: Labelled | PlusQueries): PlusQueries {
  return 'dotRows' in data ? data : { ...data, dotRows: data.queries.map((x) => sortedDotRows(mem.memories, x)) };
}

/** Scores s⁺(Ξ, x) of query i of `data` (from its rows: ahopPlusRows), its own memory (if any) set to −∞. */
function plusScores(mem: LabelledMemory, data: PlusQueries, i: number, p: AhopPlusParams): Float64Array {
  const { rows } = ahopPlusRows(mem.memories, data.queries[i], p, FULL_FOOTPRINT, data.dotRows[i]);
  const { s } = scoresFromRows(rows, mem.memories.length, p, true);
  const self = data.self?.[i] ?? -1;
  if (self >= 0) s[self] = -Infinity;
  return s;
}


/**
 * L = −log P_t(x) and ∂L/∂θ (θ under `layout`) for query i of `data`: the class cross-entropy of
 * the A-Hop+ scores, its own memory left out, through A-Hop+'s score VJP.
 * @example
 * ```ts
 * import { identityAhopPlusParams } from '../../similarity/adaptive-plus.ts';
 * import { ahopPlusLayout } from '../../train/objective-plus.ts';
 * import { plusClassLossGrad } from './memory-classifier-plus.ts';
 * const mem = { memories: [[0], [1], [3]], labels: [0, 1, 1], classes: 2 };
 * const p = identityAhopPlusParams({ wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 });
 * const r = plusClassLossGrad(mem, { queries: [[0.9]], labels: [1] }, 0, p, ahopPlusLayout(p, ['offset', 'logScale']));
 * if (!(r.loss > 0) || r.grad.length !== 2) throw new Error('L = −log(p_1 + p_2) > 0; one offset and one log-scale');
 * ```
 */
export function plusClassLossGrad(
  mem: LabelledMemory,
  data: Labelled | PlusQueries,
  i: number,
  p: AhopPlusParams,
  layout: AhopPlusLayout,
): { loss: number; grad: number[] } {
  const self = data.self?.[i] ?? -1;
  const r = ahopPlusScoreVjpUnchecked(
    mem.memories,
    data.queries[i],
    (s) => {
      if (self >= 0) s[self] = -Infinity;
      return classCrossEntropy(s, mem.labels, data.labels[i]);
    },
    p,
    FULL_FOOTPRINT,
    'dotRows' in data ? data.dotRows[i] : undefined,
  );
  return { loss: r.loss, grad: packGradient(r.grad, p, layout) };
}

/**
 * The A-Hop+ head's answers over `mem`: argmax_c P_c(x) for each query.
 * @example
 * ```ts
 * import { identityAhopPlusParams } from '../../similarity/adaptive-plus.ts';
 * import { plusHeadAnswers } from './memory-classifier-plus.ts';
 * const mem = { memories: [[0], [1]], labels: [0, 1], classes: 2 };
 * const p = identityAhopPlusParams({ wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 });
 * if (plusHeadAnswers(mem, [[0.1], [0.9]], p).join() !== '0,1') throw new Error('each query is nearer to its own class');
 * ```
 */
export function plusHeadAnswers(mem: LabelledMemory, queries: readonly number[][], p: AhopPlusParams): number[] {
  return queries.map((x) => predictClass(classProbabilities(softmax(ahopPlusScores(mem.memories, x, p)), mem.labels, mem.classes)));
}

/**
 * Trains the A-Hop+ head's free parameter groups (`layout`) with minimise() on the mean class
 * cross-entropy (plusClassLossGrad); best iterate by selectionCriterion on `validation` when given
 * (else the training class loss), as the A-Hop head. Each query's dot rows are sorted once
 * (withDotRows), unless the caller passes them (PlusQueries).
 * @example
 * ```ts
 * import { identityAhopPlusParams } from '../../similarity/adaptive-plus.ts';
 * import { ahopPlusLayout } from '../../train/objective-plus.ts';
 * import { trainClassHeadPlus } from './memory-classifier-plus.ts';
 * // Dimension 0 carries the class, dimension 1 is noise ten times larger: training shrinks its weight.
 * const memories = [[0, 5], [0, -4], [1, 3], [1, -6]];
 * const mem = { memories, labels: [0, 0, 1, 1], classes: 2 };
 * const start = identityAhopPlusParams({ wDis: [0, 1], wDot: [0, 0], betaDis: 1, betaDot: 0 });
 * const { params } = trainClassHeadPlus(mem, { queries: memories, labels: mem.labels, self: [0, 1, 2, 3] }, undefined, start, ahopPlusLayout(start, ['logScale']), { epochs: 30, lr: 0.1, batchSize: 4, seed: 0 });
 * if (!(params.logScale[1] > params.logScale[0])) throw new Error('the noisy dimension is scaled down');
 * ```
 */
export function trainClassHeadPlus(
  mem: LabelledMemory,
  train: Labelled | PlusQueries,
  validation: Labelled | PlusQueries | undefined,
  start: AhopPlusParams,
  layout: AhopPlusLayout,
  o: Omit<ClassHeadOptions, 'frozen'> & { onEpoch?: OnEpoch<AhopPlusParams> },
): { params: AhopPlusParams; result: MinimiseResult } {
  const queries = withDotRows(mem, train);
  const held = validation === undefined ? undefined : withDotRows(mem, validation);
  const result = minimise(
    {
      theta0: packAhopPlus(start, layout),
      count: train.queries.length,
      batchLossGrad: (theta, idx) => {
        const p = unpackAhopPlus(theta, layout);
        const grad = new Float64Array(layout.size);
        let loss = 0;
        for (const i of idx) {
          const r = plusClassLossGrad(mem, queries, i, p, layout);
          loss += r.loss;
          r.grad.forEach((v, j) => (grad[j] += v / idx.length));
        }
        return { loss: loss / idx.length, grad };
      },
      batchLoss: (theta, idx) => {
        const p = unpackAhopPlus(theta, layout);
        return idx.reduce((a, i) => a + classCrossEntropy(plusScores(mem, queries, i, p), mem.labels, train.labels[i]).loss, 0) / idx.length;
      },
      ...(held === undefined
        ? {}
        : {
            criterion: (theta: Float64Array) => {
              const p = unpackAhopPlus(theta, layout);
              return scoresCriterion(mem, held, (i) => plusScores(mem, held, i, p));
            },
          }),
    },
    {
      epochs: o.epochs,
      lr: o.lr,
      batchSize: o.batchSize,
      seed: o.seed,
      ...(o.onEpoch === undefined ? {} : { onEpoch: (e: number, _loss: number, theta: Float64Array) => o.onEpoch!(e, unpackAhopPlus(theta, layout)) }),
    },
  );
  return { params: unpackAhopPlus(result.theta, layout), result };
}

