/**
 * Claim 8 (structure of the footprint), the parts the reference core relies on:
 * the last entry is the plain base similarity; the literal U·q̃, the running sum and the O(d log d)
 * suffix-sum form agree; s is invariant under a joint permutation of dimensions; the ablations are
 * the forms they claim. Each property is a function of the implementation, and a broken one is caught.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { adaptiveSimilarity, type AhopParams } from '../src/similarity/adaptive.ts';
import { baseSimilarities } from '../src/similarity/base.ts';
import {
  footprintLiteral,
  footprintOf,
  ordered,
  weightedFootprint,
  type FootprintOptions,
} from '../src/similarity/footprint.ts';
import { finite, params, tiedEntry, vector } from './support/arbitraries.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

const EPS = Number.EPSILON;
type Footprint = (q: readonly number[], o?: FootprintOptions) => number[];
type Weighted = (q: readonly number[], w: readonly number[], o?: FootprintOptions) => number;
type Similarity = (xi: readonly number[], x: readonly number[], p: AhopParams) => number;

const qAndW = fc
  .integer({ min: 1, max: 12 })
  .chain((d) => fc.tuple(vector(d, fc.oneof(finite(), tiedEntry)), vector(d, finite(3))));

const options = fc.record({ sort: fc.boolean(), cumulative: fc.boolean() });

/** |a − b| within the float error of adding n terms of total magnitude `scale` in two orders. */
const close = (a: number, b: number, n: number, scale: number) => Math.abs(a - b) <= 4 * n * EPS * scale;

const lastEntryIsBase = (ftpt: Footprint) =>
  fc.property(qAndW, ([q]) => {
    const f = ftpt(q);
    const sum = q.reduce((a, b) => a + b, 0);
    return close(f[f.length - 1], sum, q.length, q.reduce((a, b) => a + Math.abs(b), 0));
  });

const suffixFormMatchesLiteral = (weighted: Weighted) =>
  fc.property(qAndW, options, ([q, w], o) => {
    const literal = footprintLiteral(q, o).reduce((acc, f, j) => acc + w[j] * f, 0);
    const scale = w.reduce((a, b) => a + Math.abs(b), 0) * q.reduce((a, b) => a + Math.abs(b), 0);
    return close(weighted(q, w, o), literal, q.length * q.length, scale);
  });

const runningSumMatchesLiteral = (ftpt: Footprint) =>
  fc.property(qAndW, options, ([q], o) => {
    const scale = q.reduce((a, b) => a + Math.abs(b), 0);
    const lit = footprintLiteral(q, o);
    return ftpt(q, o).every((v, j) => close(v, lit[j], q.length, scale));
  });

const jointPermutationInvariance = (sim: Similarity) =>
  fc.property(
    fc.integer({ min: 1, max: 10 }).chain((d) =>
      fc.tuple(vector(d, fc.oneof(finite(), tiedEntry)), vector(d, fc.oneof(finite(), tiedEntry)), params(d), fc.func(fc.double({ noNaN: true }))),
    ),
    ([xi, x, p, key]) => {
      // A random permutation: order the indices by a random key.
      const perm = xi.map((_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
      // Sorting makes the permuted and original q̃ identical, so the scores are bit-for-bit equal.
      return sim(perm.map((i) => xi[i]), perm.map((i) => x[i]), p) === sim(xi, x, p);
    },
  );

const ablationForms = (ftpt: Footprint) =>
  fc.property(qAndW, ([q]) => {
    const desc = [...q].sort((a, b) => b - a);
    const prefix = (v: number[]) => v.map((_, j) => v.slice(0, j + 1).reduce((a, b) => a + b, 0));
    const expected: [FootprintOptions, number[]][] = [
      [{ sort: false, cumulative: false }, [...q]],
      [{ sort: true, cumulative: false }, desc],
      [{ sort: false, cumulative: true }, prefix([...q])],
    ];
    return expected.every(([o, e]) => ftpt(q, o).every((v, j) => v === e[j]));
  });

describe('footprint structure', () => {
  it('the last footprint entry equals the base similarity Σ_i q_i', () => expectHolds(lastEntryIsBase((q) => footprintOf(q))));
  it('… and a footprint without U (last entry = smallest q) is caught', () =>
    expectCounterexample(lastEntryIsBase((q) => footprintOf(q, { sort: true, cumulative: false }))));

  it('the suffix-sum form Σ_r c_r q̃_r equals the literal wᵀ U q̃ (every ablation)', () =>
    expectHolds(suffixFormMatchesLiteral(weightedFootprint)));
  it('… and prefix sums in place of suffix sums are caught', () =>
    expectCounterexample(
      suffixFormMatchesLiteral((q, w, o = { sort: true, cumulative: true }) => {
        let acc = 0;
        const c = o.cumulative ? w.map((v) => (acc += v)) : w;
        return ordered(q, o).reduce((s, v, r) => s + c[r] * v, 0);
      }),
    ));

  it('the running-sum footprint equals U q̃', () => expectHolds(runningSumMatchesLiteral(footprintOf)));
  it('… and a running sum that skips the first entry is caught', () =>
    expectCounterexample(runningSumMatchesLiteral((q, o) => footprintOf(q, o).map((v, j, a) => (j === 0 ? v : v - a[0])))));

  it('s(ξ, x) is invariant when one permutation is applied to the dimensions of ξ and x', () =>
    expectHolds(jointPermutationInvariance((xi, x, p) => adaptiveSimilarity(xi, x, p))));
  it('… and without the sort (position-tied weights) invariance fails', () =>
    expectCounterexample(
      jointPermutationInvariance((xi, x, p) => adaptiveSimilarity(xi, x, p, { sort: false, cumulative: true })),
    ));

  it('the ablations are the forms they claim: q, sorted q, cumulative unsorted q', () => expectHolds(ablationForms(footprintOf)));
  it('… and an implementation that always sorts is caught', () =>
    expectCounterexample(ablationForms((q, o) => footprintOf(q, { sort: true, cumulative: o?.cumulative ?? true }))));

  it('the base similarities are −(ξ_i − x_i)² and ξ_i x_i', () =>
    expectHolds(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((d) => fc.tuple(vector(d), vector(d))),
        ([xi, x]) =>
          baseSimilarities('dis', xi, x).every((q, i) => q === -((xi[i] - x[i]) * (xi[i] - x[i]))) &&
          baseSimilarities('dot', xi, x).every((q, i) => q === xi[i] * x[i]),
      ),
    ));
});
