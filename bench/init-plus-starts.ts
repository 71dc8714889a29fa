/**
 * A-Hop+'s initialisation, start by start (docs/protocol.md, "A-Hop+"): for each probe instance,
 * the EM fit from the robust start and from the memory-range start — log-likelihood, ρ, the
 * occluders' range, the median σ — and the plug-in rule's correct retrieval on 300 queries drawn
 * freshly from the instance's variant with a probe stream (never the test stream of a cell).
 * `chosen` marks the fit the initialisation keeps (the higher likelihood).
 *
 *   node bin/run-ts.js bench/init-plus-starts.ts
 */
import { buildExperiment, type Task } from '../src/experiments/instance.ts';
import { MNIST_SIZES, MNIST_TASK, SYNTHETIC_SIZES, SYNTHETIC_UNIFORM } from '../src/experiments/protocol.ts';
import { argmax } from '../src/numeric/logsumexp.ts';
import { retrievePlus } from '../src/hopfield/ahop-plus.ts';
import { createRng } from '../src/random/rng.ts';
import { FULL_FOOTPRINT } from '../src/similarity/footprint.ts';
import { plugInParams, residualEmFits } from '../src/train/init-plus.ts';
import { samplePairs } from '../src/train/pairs.ts';

/** Far from every cell's streams (cells use seed·16 + 0…4). */
const PROBE_STREAM = 1_000_007;
const PROBE_QUERIES = 300;

const probes: [string, Task, number][] = [
  ['Synthetic', SYNTHETIC_UNIFORM, 0.5],
  ['MNIST', MNIST_TASK, 0.6],
  ['MNIST', MNIST_TASK, 0.7],
];

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

console.log('| instance | seed | start | log-likelihood | ρ | range | median σ | probe accuracy | chosen |');
console.log('|---|---:|---|---:|---:|---|---:|---:|:---:|');
for (const [name, task, delta] of probes) {
  for (const seed of [0, 1]) {
    const exp = buildExperiment(task, 'composed', delta, seed, name === 'MNIST' ? MNIST_SIZES : SYNTHETIC_SIZES);
    const { memories, train, variant } = exp.instance;
    const probe = samplePairs(memories, variant, PROBE_QUERIES, createRng(PROBE_STREAM + seed));
    const fits = residualEmFits(memories, train);
    const best = fits.reduce((a, f) => (f.logLikelihood > a.logLikelihood ? f : a));
    for (const f of fits) {
      // The plug-in rule of this fit alone (initAhopPlusFromResiduals returns the best one's).
      const params = plugInParams(f);
      const correct = probe.queries.filter((x, j) => argmax(retrievePlus(memories, x, params, FULL_FOOTPRINT).probs) === probe.targets[j]).length;
      console.log(
        `| ${name} δ ${delta} | ${seed} | ${f.start} | ${f.logLikelihood.toFixed(0)} | ${f.rho.toFixed(3)} | [${f.low.toFixed(2)}, ${f.high.toFixed(2)}] | ${median(f.sigma).toFixed(3)} | ${(correct / PROBE_QUERIES).toFixed(3)} | ${f === best ? '✓' : ''} |`,
      );
    }
  }
}

