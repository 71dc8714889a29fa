/**
 * Run one theorem of the paper as a property, at many more runs than CI does.
 *
 * Claim 4(b) (docs/theory.md §4; properties/claim-04-noisy-variant.test.ts runs it in CI): for the
 * noisy variant with isotropic σ, A-Hop with w_dis = e_d (the footprint's last entry, the plain
 * negative squared distance), β_dot = 0 and β_dis = 1/(2σ²) has softmax(s(Ξ, x)) equal to the Bayes
 * posterior p(ξ_k | x) — the similarity IS the log-likelihood up to a constant. fast-check draws
 * memories, a query and σ, and compares the two distributions to 1e-9.
 *
 *   node bin/run-ts.js examples/theorem-property.ts [--runs 20000] [--seed 42]
 *
 * A failure prints the shrunk counterexample and exits 1.
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { posterior } from '../src/bayes/posterior.ts';
import { retrieve } from '../src/hopfield/ahop.ts';
import { noisy } from '../src/variants/index.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5000' }, seed: { type: 'string', default: '42' } } });
const numRuns = Number(values.runs);
const seed = Number(values.seed);
if (!Number.isSafeInteger(numRuns) || numRuns <= 0 || !Number.isSafeInteger(seed)) {
  console.error('error: --runs must be a positive integer and --seed an integer');
  process.exit(2);
}

const tenths = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((k) => k / 10);
const instance = fc
  .record({ n: fc.integer({ min: 2, max: 8 }), d: fc.integer({ min: 1, max: 8 }) })
  .chain(({ n, d }) =>
    fc.record({
      memories: fc.array(fc.array(tenths(-30, 30), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
      x: fc.array(tenths(-30, 30), { minLength: d, maxLength: d }),
      sigma: tenths(2, 20),
    }),
  );

const softmaxIsPosterior = fc.property(instance, ({ memories, x, sigma }) => {
  const d = x.length;
  const unit = Array.from({ length: d }, (_, j) => (j === d - 1 ? 1 : 0));
  const p = retrieve(memories, x, { wDis: unit, wDot: unit, betaDis: 1 / (2 * sigma * sigma), betaDot: 0 }).probs;
  const logPost = posterior(noisy(Array(d).fill(sigma)), memories, x).logPosterior;
  return p.every((pk, k) => Math.abs(pk - Math.exp(logPost[k])) <= 1e-9);
});

const start = Date.now();
const details = fc.check(softmaxIsPosterior, { numRuns, seed });
const seconds = ((Date.now() - start) / 1000).toFixed(1);
if (details.failed) {
  console.error(`claim 4(b) FAILED after ${details.numRuns} runs (seed ${seed}): counterexample ${fc.stringify(details.counterexample)}`);
  process.exitCode = 1;
} else {
  console.log(`claim 4(b): softmax(A-Hop at β_dis = 1/(2σ²)) = Bayes posterior, ${details.numRuns} runs passed (seed ${seed}, ${seconds} s)`);
}
