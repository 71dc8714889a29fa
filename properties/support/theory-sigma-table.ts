/**
 * The σ table of claim 5 in docs/theory.md: how often the gap condition certifies ftpt_{d−m}, how
 * often ftpt_{d−m} agrees with the Bayes rule, and the accuracies of ftpt_{d−m}, Bayes and negative
 * distance, on queries sampled from the fixed-m masked variant.
 *
 *   node bin/run-ts.js properties/support/theory-sigma-table.ts [--seed S] [--queries M]
 *
 * Protocol (fixed before running): d = 8, m = 2, N = 5 memories with N(0, 1) entries, occluders
 * U[−3, 3], one memory set per σ drawn from the seed, M queries per σ (sources uniform). "Certified":
 * the top two ftpt_{d−m} scores differ by more than 2σ² log C(d, m). Prints a markdown table.
 */
import { footprint } from '../../src/similarity/footprint.ts';
import { fixedMaskLogLik, sampleFixedMask, type FixedMask } from './theory-fixedmask.ts';
import { gaussianMemories, rngFor } from './theory-instances.ts';
import { argmaxRule, negDistance } from './theory-similarities.ts';
import { logChoose } from './theory-stats.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const SEED = arg('--seed', 1);
const M = arg('--queries', 4000);
const D = 8;
const MASKED = 2;
const N = 5;
const SIGMAS = [0.02, 0.05, 0.1, 0.2, 0.4];

const argmax = (v: readonly number[]) => v.reduce((b, x, k) => (x > v[b] ? k : b), 0);

const columns = SIGMAS.map((sigma, s) => {
  const rng = rngFor(SEED * 1000 + s);
  const v: FixedMask = { m: MASKED, sigma, low: -3, high: 3 };
  const memories = gaussianMemories(N, D, rng);
  const threshold = 2 * sigma * sigma * logChoose(D, MASKED);
  let certified = 0;
  let agree = 0;
  const correct = { ftpt: 0, bayes: 0, distance: 0 };
  for (let q = 0; q < M; q++) {
    const k = rng.int(N);
    const x = sampleFixedMask(v, memories[k], rng);
    const f = memories.map((xi) => footprint('dis', xi, x)[D - MASKED - 1]);
    const sorted = [...f].sort((a, b) => b - a);
    if (sorted[0] - sorted[1] > threshold) certified++;
    const ftpt = argmax(f);
    const bayes = argmax(memories.map((xi) => fixedMaskLogLik(v, x, xi)));
    if (ftpt === bayes) agree++;
    correct.ftpt += Number(ftpt === k);
    correct.bayes += Number(bayes === k);
    correct.distance += Number(argmaxRule(negDistance)(memories, x) === k);
  }
  const r = (c: number) => (c / M).toFixed(3);
  return { certified: r(certified), agree: r(agree), acc: `${r(correct.ftpt)} / ${r(correct.bayes)} / ${r(correct.distance)}` };
});

const row = (label: string, cells: string[]) => `| ${label} | ${cells.join(' | ')} |`;
console.log(
  [
    row('σ', SIGMAS.map(String)),
    `|---|${SIGMAS.map(() => '---|').join('')}`,
    row('share of queries certified by the gap', columns.map((c) => c.certified)),
    row('share of queries where ftpt_{d−m} agrees with Bayes', columns.map((c) => c.agree)),
    row('accuracy ftpt_{d−m} / Bayes / neg. distance', columns.map((c) => c.acc)),
  ].join('\n'),
);
