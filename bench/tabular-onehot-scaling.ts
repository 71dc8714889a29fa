/**
 * How should the tabular cells scale one-hot columns (docs/protocol.md, "Tabular classification",
 * version 8)? Decided on training rows only: for German credit and seeds 0–4 the cell's own
 * train/test split is drawn, its test rows are dropped, and the cell protocol runs again inside the
 * training rows (inner 70/30 split, validation quarter, stored rows, leave-one-out queries, test
 * memory = stored + validation rows) once with every column z-scored (version 7) and once with the
 * one-hot columns left 0/1 (the candidate). The A-Hop head is trained each time and its inner-test
 * accuracy printed, with M-Hop (β = 1/√d, untrained) beside it. No outer test row is read.
 *
 *   node bin/run-ts.js bench/tabular-onehot-scaling.ts
 */
import { defaultBeta } from '../src/baselines/mhop.ts';
import { accuracy } from '../src/experiments/metrics.ts';
import { streamSeed } from '../src/experiments/seeds.ts';
import { tabularSpec, type TabularSpec } from '../src/experiments/tabular/cells.ts';
import { loadDataset } from '../src/experiments/tabular/datasets.ts';
import { classProblem, trainClassHead } from '../src/experiments/tabular/memory-classifier.ts';
import { ahopStart, classShares, layerHeadAnswers, mhopAsLayer, tabularSetting, tabularSplit } from '../src/experiments/tabular/run.ts';
import { createRng } from '../src/random/rng.ts';

const SEEDS = [0, 1, 2, 3, 4];
const f3 = (v: number) => v.toFixed(3);
const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const data = loadDataset('credit-g');

function innerAccuracy(spec: TabularSpec, trainIdx: readonly number[]): [number, number, number] {
  const inner = tabularSetting(spec, { features: trainIdx.map((i) => data.features[i]), labels: trainIdx.map((i) => data.labels[i]), oneHot: data.oneHot });
  const b = spec.budget;
  const params = trainClassHead(classProblem(inner.mem, inner.train, inner.validation), ahopStart(inner.d), { epochs: b.epochs, lr: b.lr, batchSize: b.batchSize, seed: streamSeed(spec.seed, 'train') }).params;
  const acc = (p: Parameters<typeof layerHeadAnswers>[2]) => accuracy(layerHeadAnswers(inner.testMem, inner.test.queries, p), inner.test.labels);
  return [acc(params), acc(mhopAsLayer(inner.d, defaultBeta(inner.d))), Math.max(...classShares(inner.test.labels, inner.classes))];
}

console.log('| seed | inner majority | A-Hop, all columns z-scored (v7) | A-Hop, one-hot columns 0/1 | M-Hop, all z-scored | M-Hop, one-hot 0/1 |');
console.log('|---:|---:|---:|---:|---:|---:|');
const cols: number[][] = [[], [], [], []];
for (const seed of SEEDS) {
  const spec = tabularSpec('credit-g', seed);
  const [trainIdx] = tabularSplit(spec, data.labels, createRng(streamSeed(seed, 'memories')));
  const [a7, m7, majority] = innerAccuracy(spec, trainIdx);
  const [a8, m8] = innerAccuracy({ ...spec, oneHotColumns: '0/1' }, trainIdx);
  [a7, a8, m7, m8].forEach((v, j) => cols[j].push(v));
  console.log(`| ${seed} | ${f3(majority)} | ${f3(a7)} | ${f3(a8)} | ${f3(m7)} | ${f3(m8)} |`);
}
console.log(`| mean | | ${cols.map((c) => f3(mean(c))).join(' | ')} |`);
