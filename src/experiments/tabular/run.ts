/**
 * One tabular cell (docs/protocol.md, "Tabular classification"): the memory classifier —
 * memories = stored training samples, values = their one-hot labels, P = the readout, loss = the
 * class cross-entropy (memory-classifier.ts) — with every Hopfield similarity, plus logistic
 * regression (ml-logistic-regression) and a random forest (ml-random-forest) as references. The
 * heads are trained and selected with the validation rows held out and read the stored and
 * validation rows at test (protocol version 5).
 */
import type LogisticRegressionClass from 'ml-logistic-regression';
import type { Matrix as MatrixClass } from 'ml-matrix';
import type { RandomForestClassifier as ForestClass } from 'ml-random-forest';
import { requireOptional } from '../../optional.ts';
import { defaultBeta } from '../../baselines/mhop.ts';
import { sparseStep } from '../../baselines/sparse.ts';
import { trainU2Class } from '../../baselines/u2hop-train.ts';
import { applyMap, kernelScores, u2ClassLossMapped, u2Probs, type U2Model } from '../../baselines/u2hop.ts';
import { separate, universalScores, type UniversalOptions } from '../../baselines/universal.ts';
import { SEPARATIONS, softmaxSeparation } from '../../baselines/separation.ts';
import { UNIVERSAL_SIMILARITIES } from '../../baselines/similarities.ts';
import { ahopParamsOf } from '../../layers/association.ts';
import { createRng, type Rng } from '../../random/rng.ts';
import type { AhopParams } from '../../similarity/adaptive.ts';
import { identityAhopPlusParams } from '../../similarity/adaptive-plus.ts';
import { initialParams } from '../../train/init.ts';
import type { SortedRows } from '../../train/objective.ts';
import { ahopPlusLayout, type AhopPlusGroup } from '../../train/objective-plus.ts';
import { accuracy } from '../metrics.ts';
import { streamSeed } from '../seeds.ts';
import type { TabularResult, TabularSpec } from './cells.ts';
import { loadDataset } from './datasets.ts';
import { classifierProbabilities, classProbabilities, classProblem, predictClass, selectionCriterion, trainClassHead, type Labelled, type LabelledMemory } from './memory-classifier.ts';
import { plusHeadAnswers, trainClassHeadPlus } from './memory-classifier-plus.ts';

function shuffle<T>(a: T[], rng: Rng): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Indices split per class so both parts keep the class proportions: [first, rest]. */
export function stratified(labels: readonly number[], idx: readonly number[], fraction: number, rng: Rng): [number[], number[]] {
  const first: number[] = [];
  const rest: number[] = [];
  for (const c of [...new Set(labels)].sort()) {
    const members = shuffle(idx.filter((i) => labels[i] === c), rng);
    const k = Math.round(members.length * fraction);
    first.push(...members.slice(0, k));
    rest.push(...members.slice(k));
  }
  return [first, rest];
}

/**
 * z-scores columns with the statistics of `rows` (constant columns get scale 1); columns marked in
 * `keep` pass through unchanged.
 * @example
 * ```ts
 * import { standardiser } from './run.ts';
 * const z = standardiser([[0, 1], [2, 0]], [false, true]);
 * if (z([2, 1]).join() !== '1,1') throw new Error('column 0: (2 − 1)/1; column 1 kept');
 * ```
 */
export function standardiser(rows: readonly number[][], keep: readonly boolean[] = []): (r: readonly number[]) => number[] {
  const d = rows[0].length;
  const mean = Array.from({ length: d }, (_, j) => (keep[j] === true ? 0 : rows.reduce((a, r) => a + r[j], 0) / rows.length));
  const sd = mean.map((m, j) => (keep[j] === true ? 1 : Math.sqrt(rows.reduce((a, r) => a + (r[j] - m) ** 2, 0) / rows.length) || 1));
  return (r) => r.map((v, j) => (v - mean[j]) / sd[j]);
}

/** M-Hop's score β ξ·x as the layer's parameters (w_dis = 0, w_dot = e_d, β_dis = 0, β_dot = β). */
export function mhopAsLayer(d: number, beta: number): AhopParams {
  return ahopParamsOf({ kind: 'mhop', beta }, d);
}

/** Class accuracy of a probability map p(x) over the memories, read out per class. */
function classAccuracy(mem: LabelledMemory, probs: (x: readonly number[]) => number[], data: Labelled): number {
  return accuracy(
    data.queries.map((x) => predictClass(classProbabilities(probs(x), mem.labels, mem.classes))),
    data.labels,
  );
}

/** Feature rows and their class labels 0…C−1. */
export interface Rows {
  features: readonly number[][];
  /** Per feature column: true for a one-hot column (left 0/1 when the spec says so). */
  oneHot?: readonly boolean[];
  labels: readonly number[];
}

/**
 * One cell's data after the protocol's splits (docs/protocol.md, "Tabular classification"): the
 * memory the heads are trained with (`mem`, the validation rows left out), the memory every head
 * reads at test (`testMem`: the same rows plus the validation rows), the training queries, the
 * validation and test rows, all z-scored with the training statistics.
 */
export interface TabularSetting {
  mem: LabelledMemory;
  testMem: LabelledMemory;
  train: Labelled;
  validation: Labelled;
  test: Labelled;
  /** Every training row (memories, validation rows): what the non-Hopfield references fit. */
  fit: Labelled;
  classes: number;
  d: number;
}

/**
 * The stratified train/test split of a cell: [training row indices, test row indices], each class
 * split in the proportion trainFraction : 1 − trainFraction.
 * @example
 * ```ts
 * import { tabularSplit } from './run.ts';
 * import { tabularSpec } from './cells.ts';
 * import { createRng } from '../../random/rng.ts';
 * const [train, test] = tabularSplit(tabularSpec('diabetes', 0), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], createRng(0));
 * if (train.length !== 14 || test.length !== 6) throw new Error('70 % of each class trains');
 * ```
 */
export function tabularSplit(spec: TabularSpec, labels: readonly number[], rng: Rng): [number[], number[]] {
  return stratified(labels, labels.map((_, i) => i), spec.trainFraction, rng);
}

/**
 * The splits of one cell on `data` (the data set's rows, or any subset of them): train/test,
 * validation, stored memories and training queries, seeded by the cell's seed.
 * @example
 * ```ts
 * import { tabularSetting } from './run.ts';
 * import { tabularSpec } from './cells.ts';
 * const features = Array.from({ length: 40 }, (_, i) => [i % 2, i / 40]);
 * const s = tabularSetting(tabularSpec('diabetes', 0, true), { features, labels: features.map((f) => f[0]) });
 * if (s.testMem.memories.length !== s.mem.memories.length + s.validation.queries.length) throw new Error('test memory = stored + validation rows');
 * ```
 */
export function tabularSetting(spec: TabularSpec, data: Rows): TabularSetting {
  const rng = createRng(streamSeed(spec.seed, 'memories'));
  const [trainIdx, testIdx] = tabularSplit(spec, data.labels, rng);
  const z = standardiser(
    trainIdx.map((i) => data.features[i]),
    spec.oneHotColumns === '0/1' ? (data.oneHot ?? []) : [],
  );
  // Validation rows are held out; every other training row is stored (or a stratified subset of
  // maxMemories when capped), and a stratified subset of the stored rows are the training queries,
  // each with its own memory left out of its softmax.
  const [valIdx, storedAll] = stratified(data.labels, trainIdx, spec.validationFraction, rng);
  const memIdx =
    spec.maxMemories === undefined || spec.maxMemories >= storedAll.length
      ? storedAll
      : stratified(data.labels, storedAll, spec.maxMemories / storedAll.length, rng)[0];
  const self =
    spec.maxQueries === undefined || spec.maxQueries >= memIdx.length
      ? memIdx.map((_, k) => k)
      : stratified(memIdx.map((i) => data.labels[i]), memIdx.map((_, k) => k), spec.maxQueries / memIdx.length, rng)[0];
  const classes = Math.max(...data.labels) + 1;
  const rows = (idx: readonly number[]): Labelled => ({ queries: idx.map((i) => z(data.features[i])), labels: idx.map((i) => data.labels[i]) });
  const memory = (idx: readonly number[]): LabelledMemory => {
    const r = rows(idx);
    return { memories: r.queries, labels: r.labels, classes };
  };
  const mem = memory(memIdx);
  return {
    mem,
    testMem: memory([...memIdx, ...valIdx]),
    train: { queries: self.map((k) => mem.memories[k]), labels: self.map((k) => mem.labels[k]), self },
    validation: rows(valIdx),
    test: rows(testIdx),
    fit: rows(trainIdx),
    classes,
    d: mem.memories[0].length,
  };
}

/**
 * Share of the labels in each class: share_c = |{i : c_i = c}| / |labels|.
 * @example
 * ```ts
 * import { classShares } from './run.ts';
 * if (classShares([0, 1, 1, 1], 2).join() !== '0.25,0.75') throw new Error('one in four is class 0');
 * ```
 */
export function classShares(labels: readonly number[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  labels.forEach((c) => counts[c]++);
  return counts.map((c) => c / labels.length);
}

/**
 * The answers of the layer head with parameters θ over `mem`: argmax_c P_c(x) for each query.
 * @example
 * ```ts
 * import { layerHeadAnswers } from './run.ts';
 * const mem = { memories: [[0], [1]], labels: [0, 1], classes: 2 };
 * if (layerHeadAnswers(mem, [[0.1], [0.9]], { wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 }).join() !== '0,1') throw new Error('each query is nearer to its own class');
 * ```
 */
export function layerHeadAnswers(mem: LabelledMemory, queries: number[][], params: AhopParams): number[] {
  return classifierProbabilities(mem, queries, params).map(predictClass);
}

/**
 * The A-Hop head's start: plain negative squared distance at M-Hop's scale,
 * s(ξ, x) = −β_dis ‖ξ − x‖² with β_dis = 1/√d.
 * @example
 * ```ts
 * import { ahopStart } from './run.ts';
 * if (ahopStart(4).betaDis !== 0.5 || ahopStart(4).betaDot !== 0) throw new Error('β_dis = 1/√4, no dot term');
 * ```
 */
export function ahopStart(d: number): AhopParams {
  return initialParams(d, { dis: defaultBeta(d), dot: 0 });
}

/** The A-Hop+ head's trained parameter groups (protocol version 7); link and gate stay frozen at λ = 0. */
export const TABULAR_PLUS_GROUPS: readonly AhopPlusGroup[] = ['offset', 'logScale', 'wDis', 'wDot', 'betaDis', 'betaDot'];

export function runTabularCell(spec: TabularSpec): TabularResult {
  const start = performance.now();
  const { mem, testMem, train, validation, test, fit, classes, d } = tabularSetting(spec, loadDataset(spec.dataset));
  const b = spec.budget;
  const head = { epochs: b.epochs, lr: b.lr, batchSize: b.batchSize, seed: streamSeed(spec.seed, 'train') };
  const problem = classProblem(mem, train, validation);
  const layerPredictions = (params: AhopParams) => layerHeadAnswers(testMem, test.queries, params);
  const layerAccuracy = (params: AhopParams) => accuracy(layerPredictions(params), test.labels);

  const acc: Record<string, number> = {};
  // A-Hop: every similarity parameter trained on the class loss, from plain negative squared
  // distance at M-Hop's scale β = 1/√d (z-scored rows are ~√(2d) apart; β = 1 would start as 1-NN).
  const beta0 = defaultBeta(d);
  const ahopAnswers = layerPredictions(trainClassHead(problem, ahopStart(d), head).params);
  acc.ahop = accuracy(ahopAnswers, test.labels);
  // A-Hop+ (version 7): A-Hop's start as A-Hop+, the per-dimension offset and log-scale trained with
  // A-Hop's parameters; the saturating link stays off (it models occluders).
  const plusStart = identityAhopPlusParams(ahopStart(d));
  // The dot rows do not depend on θ: the A-Hop problem's sorted rows serve A-Hop+ too.
  const dotRows = (rows: readonly SortedRows[]) => rows.map((r) => r.dot);
  const plusHead = trainClassHeadPlus(
    mem,
    { ...train, dotRows: dotRows(problem.trainRows) },
    { ...validation, dotRows: dotRows(problem.validationRows!) },
    plusStart,
    ahopPlusLayout(plusStart, TABULAR_PLUS_GROUPS),
    head,
  ).params;
  const ahopPlusAnswers = plusHeadAnswers(testMem, test.queries, plusHead);
  acc['ahop-plus'] = accuracy(ahopPlusAnswers, test.labels);
  // M-Hop at its standard β, and with β learned (the layer with w_dot = e_d, β_dis = 0; only β_dot free).
  acc.mhop = layerAccuracy(mhopAsLayer(d, beta0));
  const frozen = Array.from({ length: 2 * d + 1 }, (_, i) => i);
  const learned = trainClassHead(problem, mhopAsLayer(d, beta0), { ...head, frozen }).params;
  acc['mhop-learned-beta'] = layerAccuracy(learned);
  // Sparse: sparsemax(β ξ·x), β = 1/√d fixed.
  acc.sparse = classAccuracy(testMem, (x) => sparseStep(testMem.memories, x, beta0).probs, test);
  // Universal: the configuration with the best class accuracy on the validation split.
  let chosen: { name: string; acc: number; o: UniversalOptions } | undefined;
  for (const similarity of UNIVERSAL_SIMILARITIES) {
    for (const separation of SEPARATIONS) {
      const o: UniversalOptions = { similarity, separation };
      const a = classAccuracy(mem, (x) => separate(universalScores(mem.memories, x, similarity), o), validation);
      if (chosen === undefined || a > chosen.acc) chosen = { name: `universal:${similarity}:${separation}`, acc: a, o };
    }
  }
  acc.universal = classAccuracy(testMem, (x) => separate(universalScores(testMem.memories, x, chosen!.o.similarity), chosen!.o), test);
  // U2-Hop: its map W trained on the same class loss (its own ∂s/∂W), same queries, budget and safeguard.
  const mapped = (model: U2Model) => mem.memories.map((m) => applyMap(model.w, d, m));
  const u2Criterion = (model: U2Model) => {
    const a = mapped(model);
    const loss = validation.queries.reduce((acc, _, i) => acc + u2ClassLossMapped(mem.memories, a, mem.labels, validation, i, model), 0);
    const probs = (x: readonly number[]) => softmaxSeparation(kernelScores(a, applyMap(model.w, d, x as number[])), model.beta);
    return selectionCriterion(1 - classAccuracy(mem, probs, validation), loss / validation.queries.length);
  };
  const u2 = trainU2Class(mem.memories, mem.labels, train, { epochs: b.epochs, lr: b.lr, batchSize: b.batchSize, seed: head.seed, criterion: u2Criterion }).model;
  acc.u2hop = classAccuracy(testMem, (x) => u2Probs(testMem.memories, x, u2), test);

  // References on the whole training split (memories, queries and validation rows), from optional packages loaded on use.
  const LogisticRegression = requireOptional<typeof LogisticRegressionClass>('ml-logistic-regression', 'the tabular experiments');
  const { Matrix } = requireOptional<{ Matrix: typeof MatrixClass }>('ml-matrix', 'the tabular experiments');
  const { RandomForestClassifier } = requireOptional<{ RandomForestClassifier: typeof ForestClass }>('ml-random-forest', 'the tabular experiments');
  const withBias = (xs: readonly number[][]) => new Matrix(xs.map((x) => [...x, 1]));
  const logreg = new LogisticRegression({ numSteps: spec.logregSteps, learningRate: 5e-4 });
  logreg.train(withBias(fit.queries), Matrix.columnVector(fit.labels));
  acc['logistic-regression'] = accuracy(logreg.predict(withBias(test.queries)), test.labels);
  // maxSamples is in ml-random-forest 2.1.0's code but missing from its type declarations.
  const forestOptions: ConstructorParameters<typeof RandomForestClassifier>[0] & { maxSamples: number } = {
    nEstimators: spec.forest.nEstimators,
    maxFeatures: spec.forest.maxFeatures,
    treeOptions: { maxDepth: spec.forest.maxDepth },
    useSampleBagging: true,
    maxSamples: spec.forest.maxSamples,
    replacement: false,
    noOOB: true,
    seed: streamSeed(spec.seed, 'method') % 2 ** 31,
  };
  const forest = new RandomForestClassifier(forestOptions);
  // Shuffled first: the training split is grouped by class, and ml-random-forest's sample bagging
  // with maxSamples then sees (almost) one class (measured: 0.38 on a class-sorted split vs 0.90 shuffled).
  const order = shuffle(fit.queries.map((_, i) => i), createRng(streamSeed(spec.seed, 'method')));
  forest.train(order.map((i) => fit.queries[i]), order.map((i) => fit.labels[i]));
  acc['random-forest'] = accuracy(forest.predict(test.queries).map((v) => Math.round(v)), test.labels);

  const testShare = classShares(test.labels, classes);
  return {
    spec,
    accuracy: acc,
    testShare,
    ahopAnswerShare: classShares(ahopAnswers, classes),
    ahopPlusAnswerShare: classShares(ahopPlusAnswers, classes),
    universalChosen: chosen!.name,
    mhopBeta: learned.betaDot,
    n: testMem.memories.length,
    d,
    seconds: (performance.now() - start) / 1000,
  };
}
