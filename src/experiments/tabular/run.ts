/**
 * The tabular memory classifier (docs/protocol.md, "Tabular classification"): stored training
 * samples are the memories; a test sample is retrieved and classified by the label of the memory
 * nearest to the readout. Hopfield rows train on pairs (held-out training sample, a same-class
 * memory drawn uniformly); logistic regression (ml-logistic-regression) is the non-Hopfield reference.
 */
import type LogisticRegressionClass from 'ml-logistic-regression';
import type { Matrix as MatrixClass } from 'ml-matrix';
import type { Instance, Method, Retriever } from '../../baselines/method.ts';
import { AHOP_VARIANTS } from '../../baselines/ahop-methods.ts';
import { METHODS } from '../../baselines/registry.ts';
import { createRng, type Rng } from '../../random/rng.ts';
import { noisy } from '../../variants/index.ts';
import { ahopRow } from '../ahop-family.ts';
import { FeatureCache } from '../features.ts';
import { accuracy, nearestMemory } from '../metrics.ts';
import { streamSeed } from '../seeds.ts';
import { universalSelected, type Judge } from '../universal-selected.ts';
import type { TabularResult, TabularSpec } from './cells.ts';
import { loadDataset } from './datasets.ts';
import { requireOptional } from '../../optional.ts';

function shuffle<T>(a: T[], rng: Rng): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Indices split per class so both parts keep the class proportions: [first, rest]. */
function stratified(labels: readonly number[], idx: readonly number[], fraction: number, rng: Rng): [number[], number[]] {
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

/** z-scores columns with the statistics of `fit` rows (constant columns get scale 1). */
function standardiser(rows: readonly number[][]): (r: readonly number[]) => number[] {
  const d = rows[0].length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((a, r) => a + r[j], 0) / rows.length);
  const sd = mean.map((m, j) => Math.sqrt(rows.reduce((a, r) => a + (r[j] - m) ** 2, 0) / rows.length) || 1);
  return (r) => r.map((v, j) => (v - mean[j]) / sd[j]);
}

export function runTabularCell(spec: TabularSpec): TabularResult {
  const start = performance.now();
  const data = loadDataset(spec.dataset);
  const rng = createRng(streamSeed(spec.seed, 'memories'));
  const all = data.labels.map((_, i) => i);
  const [trainIdx, testIdx] = stratified(data.labels, all, spec.trainFraction, rng);
  const z = standardiser(trainIdx.map((i) => data.features[i]));
  const memFraction = Math.min(1, spec.maxMemories / trainIdx.length);
  const [memIdx, pairIdx] = stratified(data.labels, trainIdx, memFraction, rng);
  const memories = memIdx.map((i) => z(data.features[i]));
  const memLabels = memIdx.map((i) => data.labels[i]);
  const byClass = new Map<number, number[]>();
  memLabels.forEach((c, k) => byClass.set(c, [...(byClass.get(c) ?? []), k]));
  const pairRng = createRng(streamSeed(spec.seed, 'train'));
  const train = {
    queries: pairIdx.map((i) => z(data.features[i])),
    targets: pairIdx.map((i) => {
      const same = byClass.get(data.labels[i])!;
      return same[pairRng.int(same.length)];
    }),
  };
  const testX = testIdx.map((i) => z(data.features[i]));
  const testY = testIdx.map((i) => data.labels[i]);
  // Tabular data have no variant distribution; no method of this roster reads it (no Bayes row).
  const instance: Instance = { memories, train, variant: noisy(new Array<number>(memories[0].length).fill(1)), seed: spec.seed };

  const classify = (r: Retriever, xs: readonly number[][]) => xs.map((x) => memLabels[nearestMemory(memories, r(x).retrieved)]);
  const classJudge: Judge = (inst, r) => accuracy(classify(r, inst.train.queries), pairIdx.map((i) => data.labels[i]));
  const cache = new FeatureCache(memories, { train, test: { queries: testX, targets: testX.map(() => 0) } });
  const universal = universalSelected(
    [...METHODS].filter(([n]) => n.startsWith('universal:')),
    'universal',
    classJudge,
  );
  const methods: Method[] = [
    ahopRow(AHOP_VARIANTS[0], cache, spec.budget),
    METHODS.get('mhop')!(spec.budget),
    METHODS.get('u2hop')!(spec.budget),
    universal,
  ];
  const acc: Record<string, number> = {};
  for (const m of methods) acc[m.name] = accuracy(classify(m.prepare(instance), testX), testY);

  // Logistic regression with an intercept column; full-batch gradient steps, deterministic.
  // Optional packages, loaded on use (a library install of ahop leaves them out).
  const LogisticRegression = requireOptional<typeof LogisticRegressionClass>('ml-logistic-regression', 'the tabular experiments');
  const { Matrix } = requireOptional<{ Matrix: typeof MatrixClass }>('ml-matrix', 'the tabular experiments');
  const withBias = (xs: readonly number[][]) => new Matrix(xs.map((x) => [...x, 1]));
  const logreg = new LogisticRegression({ numSteps: spec.logregSteps, learningRate: 5e-4 });
  logreg.train(withBias(trainIdx.map((i) => z(data.features[i]))), Matrix.columnVector(trainIdx.map((i) => data.labels[i])));
  acc['logistic-regression'] = accuracy(logreg.predict(withBias(testX)), testY);

  return {
    spec,
    accuracy: acc,
    universalChosen: universal.chosen ?? '',
    n: memories.length,
    d: memories[0].length,
    seconds: (performance.now() - start) / 1000,
  };
}
