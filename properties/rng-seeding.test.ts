/**
 * Seeding (src/random/rng.ts): the user's seed is scrambled by splitmix64 before it becomes
 * xoroshiro128+'s state. Two claims, each with the unscrambled seeding (pure-rand's
 * `xoroshiro128plus(seed)`, which keeps the seed's low 32 bits almost as they are) caught:
 *
 * - the first uniform of seeds 0…9 999 is uniform on [0, 1): a Kolmogorov–Smirnov test at
 *   α = 0.01, critical value from the Kolmogorov distribution with Stephens' finite-n correction;
 * - seeds s and s + 2³² (both safe integers, negative included) give different streams.
 *
 * The splitmix64 step itself is checked against the published outputs of its reference C code.
 */
import fc from 'fast-check';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { createRng, splitmix64 } from '../src/random/rng.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

const ALPHA = 0.01;
const SEEDS = 10_000;

/** P(K ≤ x) for the Kolmogorov distribution: 1 − 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²x²}. */
function kolmogorovCdf(x: number): number {
  let s = 0;
  for (let k = 1; k <= 100; k++) s += (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * x * x);
  return 1 - 2 * s;
}

/** The (1 − α) quantile of K, by bisection on its CDF. */
function kolmogorovQuantile(p: number): number {
  let lo = 0.2;
  let hi = 3;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (kolmogorovCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Critical D_n at level α (Stephens 1970: D·(√n + 0.12 + 0.11/√n) is ≈ K-distributed). */
const critical = (n: number) => kolmogorovQuantile(1 - ALPHA) / (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n));

/** D_n = sup |F_n(u) − u| of a sample against U[0, 1). */
function ksStatistic(sample: readonly number[]): number {
  const u = [...sample].sort((a, b) => a - b);
  const n = u.length;
  return u.reduce((d, v, i) => Math.max(d, (i + 1) / n - v, v - i / n), 0);
}

type Stream = (seed: number, length: number) => number[];

const scrambled: Stream = (seed, length) => {
  const r = createRng(seed);
  return Array.from({ length }, () => r.uniform());
};
const unscrambled: Stream = (seed, length) => {
  const g = xoroshiro128plus(seed);
  return Array.from({ length }, () => uniformFloat64(g));
};

const firstUniformsPassKs = (stream: Stream) => {
  const d = ksStatistic(Array.from({ length: SEEDS }, (_, s) => stream(s, 1)[0]));
  return { d, pass: d < critical(SEEDS) };
};

const seedsApart2to32Differ = (stream: Stream) =>
  fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER - 2 ** 32 }), (s) => {
    expect(stream(s, 4)).not.toEqual(stream(s + 2 ** 32, 4));
  });

describe('seeding', () => {
  it('splitmix64 reproduces the reference outputs from state 1234567', () => {
    let x = 1234567n;
    const outs = [0, 1, 2].map(() => {
      const r = splitmix64(x);
      x = r.state;
      return r.out;
    });
    expect(outs).toEqual([6457827717110365317n, 3203168211198807973n, 9817491932198370423n]);
  });

  it('the KS critical value is the textbook one (1.628/√n for α = 0.01, large n)', () =>
    expect(kolmogorovQuantile(1 - ALPHA)).toBeCloseTo(1.6276, 3));

  it(`the first uniform of seeds 0…${SEEDS - 1} passes a Kolmogorov–Smirnov test at α = ${ALPHA}`, () => {
    const r = firstUniformsPassKs(scrambled);
    expect(r.d).toBeLessThan(critical(SEEDS));
  });
  it('… and the unscrambled seeding is caught', () => expect(firstUniformsPassKs(unscrambled).pass).toBe(false));

  it('seeds s and s + 2^32 give different streams', () => expectHolds(seedsApart2to32Differ(scrambled), { numRuns: 200 }));
  it('… and the unscrambled seeding is caught', () => expectCounterexample(seedsApart2to32Differ(unscrambled), { numRuns: 50 }));

  it('any safe integer is a seed, negative ones included, and each gives its own stream', () => {
    for (const s of [Number.MIN_SAFE_INTEGER, -1, 0, Number.MAX_SAFE_INTEGER]) expect(scrambled(s, 2).every((u) => u >= 0 && u < 1)).toBe(true);
    expect(scrambled(-1, 4)).not.toEqual(scrambled(1, 4));
    expect(() => createRng(2 ** 53)).toThrow(/safe integer/);
  });
});
