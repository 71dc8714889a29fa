/**
 * Which memory should the tabular heads read at test (docs/protocol.md, "Tabular classification",
 * version 5)? Decided on training rows only: for each data set and seed the cell's own train/test
 * split is drawn, its test rows are dropped, and the cell protocol runs again inside the training
 * rows (an inner 70/30 split, validation quarter, stored rows, leave-one-out queries). The A-Hop
 * head is trained once on the inner stored rows; its inner-test accuracy is measured reading the
 * stored rows only (version 4) and reading the stored and validation rows (the candidate). M-Hop
 * (β = 1/√d, untrained) is shown both ways beside it. No outer test row is read.
 *
 *   node bin/run-ts.js bench/tabular-test-memory.ts
 */
import { defaultBeta } from '../src/baselines/mhop.ts';
import { accuracy } from '../src/experiments/metrics.ts';
import { streamSeed } from '../src/experiments/seeds.ts';
import { tabularSpec } from '../src/experiments/tabular/cells.ts';
import { DATASETS, loadDataset } from '../src/experiments/tabular/datasets.ts';
import { classProblem, trainClassHead, type Labelled, type LabelledMemory } from '../src/experiments/tabular/memory-classifier.ts';
import { ahopStart, classShares, layerHeadAnswers, mhopAsLayer, tabularSetting, tabularSplit } from '../src/experiments/tabular/run.ts';
import { createRng } from '../src/random/rng.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';

const SEEDS = [0, 1, 2, 3, 4];
const f3 = (v: number) => v.toFixed(3);
const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

function acc(mem: LabelledMemory, data: Labelled, params: AhopParams): number {
  return accuracy(layerHeadAnswers(mem, data.queries, params), data.labels);
}

console.log('| data set | seed | inner majority | A-Hop, stored rows (v4) | A-Hop, stored + validation rows | M-Hop, stored rows | M-Hop, stored + validation rows |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const dataset of DATASETS) {
  const data = loadDataset(dataset);
  const cols: number[][] = [[], [], [], []];
  let belowV4 = 0;
  let belowNew = 0;
  for (const seed of SEEDS) {
    const spec = tabularSpec(dataset, seed);
    // The cell's own first draw: its training rows (the same stream and call as tabularSetting).
    const [trainIdx] = tabularSplit(spec, data.labels, createRng(streamSeed(seed, 'memories')));
    const inner = tabularSetting(spec, { features: trainIdx.map((i) => data.features[i]), labels: trainIdx.map((i) => data.labels[i]) });
    const b = spec.budget;
    const params = trainClassHead(classProblem(inner.mem, inner.train, inner.validation), ahopStart(inner.d), {
      epochs: b.epochs,
      lr: b.lr,
      batchSize: b.batchSize,
      seed: streamSeed(seed, 'train'),
    }).params;
    const mhop = mhopAsLayer(inner.d, defaultBeta(inner.d));
    const row = [acc(inner.mem, inner.test, params), acc(inner.testMem, inner.test, params), acc(inner.mem, inner.test, mhop), acc(inner.testMem, inner.test, mhop)];
    const majority = Math.max(...classShares(inner.test.labels, inner.classes));
    if (row[0] < majority) belowV4++;
    if (row[1] < majority) belowNew++;
    row.forEach((v, j) => cols[j].push(v));
    console.log(`| ${dataset} | ${seed} | ${f3(majority)} | ${row.map(f3).join(' | ')} |`);
  }
  console.log(`| ${dataset} | mean | | ${cols.map((c) => f3(mean(c))).join(' | ')} |`);
  console.log(`| ${dataset} | seeds below the inner majority rate (A-Hop) | | ${belowV4} of ${SEEDS.length} | ${belowNew} of ${SEEDS.length} | | |`);
}
