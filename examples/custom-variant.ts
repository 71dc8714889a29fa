/**
 * Train A-Hop on a variant of your own and inspect the footprint weights it learns.
 *
 * The variant is written as JSON (the format of `ahop train --variant`, docs/conformance.md): a
 * "sensor" that drops 25% of the readings (occluded by a uniform value in [0, 1]) and shifts and
 * blurs the rest, with a bias and a noise that grow along the pattern. A-Hop's similarity is
 *   s(ξ, x) = β_dis Σ_j w_dis[j] ftpt_dis[j] + β_dot Σ_j w_dot[j] ftpt_dot[j],
 * where ftpt[j] sums the j best-matching dimensions. After training, the effective weight of the
 * r-th best-matching dimension is β · c_r with c_r = Σ_{j ≥ r} w_j; with a quarter of the dimensions
 * occluded, the distance footprint should lean on the best ~75% and discount the worst matches.
 *
 *   node bin/run-ts.js examples/custom-variant.ts
 */
import { posterior } from '../src/bayes/posterior.ts';
import { retrieve } from '../src/hopfield/ahop.ts';
import { saveModel } from '../src/hopfield/model-json.ts';
import { createRng } from '../src/random/rng.ts';
import { suffixSums } from '../src/similarity/footprint.ts';
import { initialParams } from '../src/train/init.ts';
import { samplePairs } from '../src/train/pairs.ts';
import { train } from '../src/train/train.ts';
import { variantFromSpec } from '../src/variants/index.ts';

const N = 12;
const D = 20;
const spec = {
  type: 'composed',
  rho: 0.25,
  sigma: Array.from({ length: D }, (_, i) => 0.02 + 0.08 * (i / (D - 1))),
  bias: Array.from({ length: D }, (_, i) => 0.1 * (i / (D - 1))),
  low: 0,
  high: 1,
};
const variant = variantFromSpec(spec);

const rng = createRng(5);
const memories = Array.from({ length: N }, () => Array.from({ length: D }, () => rng.uniform()));
const r = train(memories, variant, { epochs: 60, pairs: 384, seed: 2 });
const p = r.params;
console.log(`loss ${r.losses[0].toFixed(3)} -> ${r.finalLoss.toFixed(3)};  β_dis = ${p.betaDis.toFixed(3)}, β_dot = ${p.betaDot.toFixed(3)}`);

// Effective weight of the r-th best-matching dimension, per base similarity.
const effDis = suffixSums(p.wDis).map((c) => p.betaDis * c);
const effDot = suffixSums(p.wDot).map((c) => p.betaDot * c);
const bar = (v: number, scale: number) => (v >= 0 ? '+' : '-').repeat(Math.min(30, Math.round((Math.abs(v) / scale) * 30)));
const scale = Math.max(...effDis.map(Math.abs), ...effDot.map(Math.abs), 1e-12);
console.log('rank r (1 = best match)   β_dis·c_r            β_dot·c_r');
effDis.forEach((v, i) => console.log(`  ${String(i + 1).padStart(2)}  ${v.toFixed(3).padStart(8)} ${bar(v, scale).padEnd(30)} ${effDot[i].toFixed(3).padStart(8)} ${bar(effDot[i], scale)}`));

// Where the distance footprint puts its weight: the share on the best 75% of the dimensions.
const kept = Math.round(0.75 * D);
const mass = (v: number[]) => v.reduce((a, b) => a + Math.abs(b), 0);
console.log(`share of |β_dis·c| on the best ${kept} of ${D} dimensions: ${(mass(effDis.slice(0, kept)) / mass(effDis)).toFixed(3)}`);

// Does it help? Correct retrieval on fresh queries: trained A-Hop, plain distance (its start), Bayes.
const test = samplePairs(memories, variant, 400, createRng(77));
const acc = (pick: (q: number[]) => number) => test.queries.filter((q, i) => pick(q) === test.targets[i]).length / test.queries.length;
const ahop = acc((q) => retrieve(memories, q, p).source);
const plain = acc((q) => retrieve(memories, q, initialParams(D)).source);
const bayes = acc((q) => posterior(variant, memories, q).argmax);
console.log(`correct retrieval: A-Hop ${ahop.toFixed(3)}, plain distance ${plain.toFixed(3)}, Bayes ${bayes.toFixed(3)}`);

// The learned model as `ahop train` would write it (first lines).
console.log(saveModel({ params: p, footprint: { sort: true, cumulative: true } }).split('\n').slice(0, 4).join('\n') + '\n  …');
if (!(ahop >= plain)) process.exitCode = 1;
