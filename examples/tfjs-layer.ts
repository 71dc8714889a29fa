/**
 * A-Hop as a layer in a TensorFlow.js model (ahop/tfjs), trained end to end with tfjs's own
 * optimiser and loss.
 *
 * Toy task: eight stored patterns in [0, 1]^32; a query keeps each dimension of its source (with
 * small noise) or, with probability 0.6, replaces it by an occluder drawn uniformly from [0, 1].
 * The model is one AHopLayer holding the patterns and returning p = softmax(s(Ξ, x)), so its
 * prediction is argmax_k p_k; it is trained with Adam on categorical cross-entropy over 512
 * sampled queries and tested on 1000 fresh ones. It starts as plain negative squared distance
 * (the reference's A-Hop initialisation), so the first row is M-Hop-like distance retrieval and
 * the second what learning the footprint weights adds. Everything is seeded; runs on tfjs-wasm
 * (pass --backend cpu for the plain JavaScript backend, a few times slower).
 *
 *   node bin/run-ts.js examples/tfjs-layer.ts [--backend cpu|wasm]
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRng } from '../src/random/rng.ts';
import { samplePairs } from '../src/train/pairs.ts';
import { masked } from '../src/variants/index.ts';
import { AHopLayer, useTfjsBackend } from '../tfjs/index.ts';

const N = 8;
const D = 32;
const arg = process.argv.indexOf('--backend');
const backend = await useTfjsBackend(arg >= 0 ? process.argv[arg + 1] : 'wasm');

const rng = createRng(2026);
const patterns = Array.from({ length: N }, () => Array.from({ length: D }, () => rng.uniform()));
const variant = masked(0.6, 0.05, 0, 1);
const train = samplePairs(patterns, variant, 512, createRng(1));
const test = samplePairs(patterns, variant, 1000, createRng(99));
const oneHot = (t: number[]) => tf.cast(tf.oneHot(tf.tensor1d(t, 'int32'), N), 'float32');

const model = tfl.sequential();
model.add(new AHopLayer({ inputShape: [D], storedPatterns: patterns, output: 'probs' }));
model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });

/** Share of test queries whose most probable stored pattern is their source. */
function accuracy(): number {
  return tf.tidy(() => {
    const pred = tf.argMax(model.predict(tf.tensor2d(test.queries)) as tf.Tensor2D, 1).arraySync() as number[];
    return pred.filter((k, i) => k === test.targets[i]).length / pred.length;
  });
}

const before = accuracy();
const xs = tf.tensor2d(train.queries);
const ys = oneHot(train.targets);
const history = await model.fit(xs, ys, { epochs: 30, batchSize: 128, shuffle: false, verbose: 0 });
const loss = history.history.loss as number[];
const after = accuracy();

console.log(`A-Hop layer on tfjs-${backend}: N = ${N} stored patterns, d = ${D}, masked queries (ρ = 0.6)`);
console.log(`trained 30 epochs: cross-entropy ${loss[0].toFixed(3)} -> ${loss[loss.length - 1].toFixed(3)}`);
console.log(`accuracy on 1000 test queries (chance ${(1 / N).toFixed(3)}):`);
console.log(`  at initialisation (negative squared distance)  ${before.toFixed(3)}`);
console.log(`  after training                                  ${after.toFixed(3)}`);

// The example is also a check (spec/examples.test.ts runs it): the trained layer must beat chance
// by more than 0.5 and not lose to its own starting point.
if (!(after > 1 / N + 0.5 && after >= before)) {
  console.error(`accuracy ${after} does not beat chance (${1 / N}) by 0.5 or fell below the initial ${before}`);
  process.exitCode = 1;
}
