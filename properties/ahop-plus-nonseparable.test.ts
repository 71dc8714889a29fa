/**
 * Where A-Hop+ cannot be exact: the mixture family and fixed-m (block) occlusion are not separable,
 * and no separable rule — no A-Hop+ with the plain sum (w ∝ e_d) or without sorting, and indeed no
 * score Σ_i h_i(ξ_i, x_i) with any functions h_i — ranks as Bayes does (docs/theory.md claim 11(c)).
 *
 * Rectangle lemma: for a separable score S and two memories a, b, D(x) = S(a, x) − S(b, x) =
 * Σ_i δ_i(x_i), so for queries that differ only in two coordinates (x₁ ∈ {α, α′}, x₂ ∈ {γ, γ′})
 *   D(α, γ) + D(α′, γ′) = D(α, γ′) + D(α′, γ).
 * Hence no separable score can prefer a on both "diagonal" queries and b on both "off-diagonal"
 * ones. The instances below are such that Bayes does exactly that, checked in 64 digits with a
 * margin of at least 1 nat. The sorted footprint is not separable, and on both instances some
 * sorted A-Hop+ does rank all four queries as Bayes (a witness each).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logLikelihoodExact } from '../src/conformance/exact.ts';
import { ahopPlusScores, identityAhopPlusParams, type AhopPlusParams } from '../src/similarity/adaptive-plus.ts';
import type { VariantSpec } from '../src/variants/variant.ts';
import { variantFromSpec } from '../src/variants/spec.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';
import { fixedMaskLogLik, fixedMaskLogLikExact, type FixedMask } from './support/theory-fixedmask.ts';

type Score = (xi: readonly number[], x: readonly number[]) => number;

interface Rectangle {
  name: string;
  a: number[];
  b: number[];
  /** Diagonal queries first (Bayes prefers a), then off-diagonal (Bayes prefers b). */
  queries: number[][];
  logLik: Score;
  logLikExact: (x: readonly number[], xi: readonly number[]) => number;
  /** A sorted A-Hop+ that ranks all four queries as Bayes. */
  sortedWitness: AhopPlusParams;
}

const MIXED: VariantSpec = {
  type: 'mixed',
  components: [
    { weight: 0.5, variant: { type: 'noisy', sigma: [0.3, 0.3] } },
    { weight: 0.5, variant: { type: 'biased', bias: [1, 1], sigma: 0.3 } },
  ],
};
const mixed = variantFromSpec(MIXED);
const FIXED: FixedMask = { m: 1, sigma: 0.3, low: -3, high: 3 };

const rectangles: Rectangle[] = [
  {
    name: 'mixture of noisy σ = 0.3 and biased b = (1, 1), σ = 0.3 (weights ½, ½)',
    a: [0.3, 1.3],
    b: [-0.1, 0.9],
    queries: [
      [1.7, -0.1],
      [0.8, 1.2],
      [1.7, 1.2],
      [0.8, -0.1],
    ],
    logLik: (xi, x) => mixed.logLikelihood(x, xi),
    logLikExact: (x, xi) => logLikelihoodExact(MIXED, x, xi).toNumber(),
    sortedWitness: { ...identityAhopPlusParams({ wDis: [-0.9, -0.2], wDot: [0, 0], betaDis: 1, betaDot: 0 }), offset: [0.65, 0.65], logScale: [-0.85, 0.2] },
  },
  {
    name: 'fixed-m occlusion, d = 3, m = 1, σ = 0.3 on [−3, 3]',
    a: [-1.9, -1.7, 0.3],
    b: [-0.8, -0.5, 1.2],
    queries: [
      [-1.5, 1, -0.9],
      [1.6, -0.4, -0.9],
      [-1.5, -0.4, -0.9],
      [1.6, 1, -0.9],
    ],
    logLik: (xi, x) => fixedMaskLogLik(FIXED, x, xi),
    logLikExact: (x, xi) => fixedMaskLogLikExact(FIXED, x, xi).toNumber(),
    // ftpt_{d−m} (claim 5): identity transform, w_dis = e_{d−1}.
    sortedWitness: identityAhopPlusParams({ wDis: [0, 1, 0], wDot: [0, 0, 0], betaDis: 1, betaDot: 0 }),
  },
];

const wantSign = [1, 1, -1, -1];

function agreesWithBayesOnAll(r: Rectangle, score: Score): boolean {
  return r.queries.every((x, j) => Math.sign(score(r.a, x) - score(r.b, x)) === wantSign[j]);
}

const grid = (lo: number, hi: number) => fc.integer({ min: 0, max: 2 ** 12 }).map((i) => lo + ((hi - lo) * i) / 2 ** 12);

/** Separable A-Hop+: any transform, and either the plain sum (w ∝ e_d) or no sorting. */
const separableRule = (d: number): fc.Arbitrary<Score> =>
  fc
    .record({
      offset: fc.array(grid(-2, 2), { minLength: d, maxLength: d }),
      logScale: fc.array(grid(-2, 2), { minLength: d, maxLength: d }),
      linkWeight: fc.array(fc.oneof(fc.constant(0), grid(0.01, 10)), { minLength: d, maxLength: d }),
      gateLow: grid(-4, 0),
      gateHigh: grid(0.01, 4),
      gateWidth: fc.oneof(fc.constant(0), grid(0.01, 2)),
      wDis: fc.array(grid(-3, 3), { minLength: d, maxLength: d }),
      wDot: fc.array(grid(-3, 3), { minLength: d, maxLength: d }),
      betaDis: grid(-3, 3),
      betaDot: grid(-3, 3),
      plainSum: fc.boolean(),
    })
    .map(({ plainSum, ...p }) => {
      const params: AhopPlusParams = plainSum
        ? { ...p, wDis: p.wDis.map((v, j) => (j === d - 1 ? v : 0)), wDot: p.wDot.map((v, j) => (j === d - 1 ? v : 0)) }
        : p;
      const options = { sort: plainSum, cumulative: true };
      return (xi: readonly number[], x: readonly number[]) => ahopPlusScores([xi], x, params, options)[0];
    });

/** Arbitrary per-dimension tables h_i(ξ_i, x_i) on the instance's values: S = Σ_i h_i. */
const separableTable = (r: Rectangle): fc.Arbitrary<Score> => {
  const keys = new Set<string>();
  for (const m of [r.a, r.b]) for (const x of r.queries) m.forEach((v, i) => keys.add(`${i}:${v}:${x[i]}`));
  return fc.array(grid(-10, 10), { minLength: keys.size, maxLength: keys.size }).map((vals) => {
    const h = new Map([...keys].map((k, j) => [k, vals[j]]));
    return (xi, x) => xi.reduce((acc, v, i) => acc + h.get(`${i}:${v}:${x[i]}`)!, 0);
  });
};

const neverRanksAsBayes = (r: Rectangle, rules: fc.Arbitrary<Score>) => fc.property(rules, (score) => !agreesWithBayesOnAll(r, score));

describe('mixture and fixed-m occlusion: no separable A-Hop+ ranks as Bayes', () => {
  for (const r of rectangles) {
    it(`${r.name}: Bayes prefers a on the diagonal queries and b off it, by at least 1 nat (64 digits)`, () => {
      r.queries.forEach((x, j) => {
        const exact = r.logLikExact(x, r.a) - r.logLikExact(x, r.b);
        expect(Math.sign(exact)).toBe(wantSign[j]);
        expect(Math.abs(exact)).toBeGreaterThan(1);
        expect(Math.abs(r.logLik(r.a, x) - r.logLik(r.b, x) - exact)).toBeLessThan(1e-12);
      });
    });

    it(`${r.name}: no separable A-Hop+ (plain sum or unsorted, any transform) ranks the four queries as Bayes`, () =>
      expectHolds(neverRanksAsBayes(r, separableRule(r.a.length)), { numRuns: 500 }));

    it(`${r.name}: nor does any separable score Σ_i h_i(ξ_i, x_i) with arbitrary tables h_i`, () =>
      expectHolds(neverRanksAsBayes(r, separableTable(r)), { numRuns: 500 }));

    it(`${r.name}: … and a non-separable rule (the Bayes log-likelihood itself, among the candidates) is caught`, () =>
      expectCounterexample(neverRanksAsBayes(r, fc.oneof(separableRule(r.a.length), fc.constant<Score>(r.logLik)))));

    it(`${r.name}: a sorted A-Hop+ does rank all four as Bayes (sorting is what the separable family lacks)`, () => {
      expect(agreesWithBayesOnAll(r, (xi, x) => ahopPlusScores([xi], x, r.sortedWitness)[0])).toBe(true);
    });
  }
});
