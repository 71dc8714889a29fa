/**
 * Does class-loss training improve the tabular heads on German credit? A diagnosis on training rows
 * only (docs/protocol.md, "Tabular classification", version 7 outcome): for each seed and learning
 * rate, the A-Hop and A-Hop+ heads are trained as in a cell (stored rows, leave-one-out queries,
 * 20 epochs, batch 32) and after every epoch their validation error and the share of validation
 * rows they assign to the minority class are printed (epoch 0 = the start). No test row is read.
 *
 *   node bin/run-ts.js bench/tabular-validation-curve.ts [SEEDS=0,3] [LRS=0.1,0.01]
 */
import { streamSeed } from '../src/experiments/seeds.ts';
import { tabularSpec } from '../src/experiments/tabular/cells.ts';
import { loadDataset } from '../src/experiments/tabular/datasets.ts';
import { classProblem, trainClassHead } from '../src/experiments/tabular/memory-classifier.ts';
import { plusHeadAnswers, trainClassHeadPlus } from '../src/experiments/tabular/memory-classifier-plus.ts';
import { ahopStart, layerHeadAnswers, tabularSetting, TABULAR_PLUS_GROUPS } from '../src/experiments/tabular/run.ts';
import { identityAhopPlusParams } from '../src/similarity/adaptive-plus.ts';
import { ahopPlusLayout } from '../src/train/objective-plus.ts';

const seeds = (process.argv[2] ?? '0,3').split(',').map(Number);
const lrs = (process.argv[3] ?? '0.1,0.01').split(',').map(Number);
const data = loadDataset('credit-g');

console.log('| seed | head | lr | validation error / minority share, epoch 0 (start) … 20 | best epoch (the cell\'s criterion) |');
console.log('|---:|---|---:|---|---:|');
for (const seed of seeds) {
  const spec = tabularSpec('credit-g', seed);
  const s = tabularSetting(spec, data);
  const minority = s.validation.labels.filter((c) => c === 1).length / s.validation.labels.length;
  const cell = (answers: number[]) => {
    const err = answers.filter((a, i) => a !== s.validation.labels[i]).length / answers.length;
    return `${err.toFixed(3)}/${(answers.filter((a) => a === 1).length / answers.length).toFixed(2)}`;
  };
  for (const lr of lrs) {
    const o = { epochs: spec.budget.epochs, lr, batchSize: spec.budget.batchSize, seed: streamSeed(seed, 'train') };
    const ahop = [cell(layerHeadAnswers(s.mem, s.validation.queries, ahopStart(s.d)))];
    const a = trainClassHead(classProblem(s.mem, s.train, s.validation), ahopStart(s.d), { ...o, onEpoch: (_, p) => ahop.push(cell(layerHeadAnswers(s.mem, s.validation.queries, p))) });
    console.log(`| ${seed} | A-Hop | ${lr} | ${ahop.join(' ')} | ${a.result.bestEpoch} |`);
    const start = identityAhopPlusParams(ahopStart(s.d));
    const plus = [cell(plusHeadAnswers(s.mem, s.validation.queries, start))];
    const b = trainClassHeadPlus(s.mem, s.train, s.validation, start, ahopPlusLayout(start, TABULAR_PLUS_GROUPS), { ...o, onEpoch: (_, p) => plus.push(cell(plusHeadAnswers(s.mem, s.validation.queries, p))) });
    console.log(`| ${seed} | A-Hop+ | ${lr} | ${plus.join(' ')} | ${b.result.bestEpoch} |`);
  }
  console.log(`| ${seed} | (validation minority share ${minority.toFixed(2)}, majority error ${minority.toFixed(3)}) | | | |`);
}
