/**
 * The harness's cached A-Hop+ objective (src/experiments/plus-fast.ts) has the loss and gradient
 * of the readable `ahopPlusBatchObjective` (src/train/objective-plus.ts), for random N, d (up to 40,
 * so the merge sort's merges run), batches, every row of the harness (full model, no link with
 * λ = 0 frozen, no offset, no scale, no sort, no dot), smooth gates, and tied entries (all offsets
 * and scales equal, entries from a small set), where the order of tied dimensions decides which
 * weight each gets in the gradient.
 *
 * Tolerance: the two sum the same terms in different orders (per pair vs per batch before the
 * prefix sums and the pack), so they agree to rounding: |Δ| ≤ 1e-9 (1 + max |ref|) with entries
 * and parameters of order 1.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { AHOP_PLUS_ROWS } from '../src/experiments/ahop-plus-family.ts';
import { plusObjective, plusPairs, type PlusObjective, type PlusPairs } from '../src/experiments/plus-fast.ts';
import { pairFeatures } from '../src/experiments/train-fast.ts';
import { ahopPlusScores, type AhopPlusParams } from '../src/similarity/adaptive-plus.ts';
import type { FootprintOptions } from '../src/similarity/footprint.ts';
import { ahopPlusBatchObjective, ahopPlusLayout, packAhopPlus, unpackAhopPlus, type AhopPlusLayout } from '../src/train/objective-plus.ts';
import { finite, tiedEntry } from './support/arbitraries.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type Make = (memories: number[][], queries: number[][], targets: number[], layout: AhopPlusLayout, footprint: FootprintOptions) => Pick<PlusObjective, 'loss' | 'lossGrad'>;

const vec = (d: number, a: fc.Arbitrary<number>) => fc.array(a, { minLength: d, maxLength: d });

const fastCase = fc
  .record({
    n: fc.integer({ min: 1, max: 5 }),
    d: fc.integer({ min: 1, max: 40 }),
    p: fc.integer({ min: 1, max: 4 }),
    tied: fc.boolean(),
    row: fc.integer({ min: 0, max: AHOP_PLUS_ROWS.length - 1 }),
  })
  .filter(({ row }) => AHOP_PLUS_ROWS[row].free.length > 0)
  .chain(({ n, d, p, tied, row }) => {
    const entry = tied ? tiedEntry : finite(1);
    const perDim = (a: fc.Arbitrary<number>) => (tied ? a.map((v) => Array.from({ length: d }, () => v)) : vec(d, a));
    return fc.record({
      row: fc.constant(row),
      memories: fc.array(vec(d, entry), { minLength: n, maxLength: n }),
      queries: fc.array(vec(d, entry), { minLength: p, maxLength: p }),
      targets: fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: p, maxLength: p }),
      init: fc.record({
        offset: perDim(finite(0.5)),
        logScale: perDim(finite(0.5)),
        linkWeight: perDim(fc.double({ min: 0.05, max: 3, noNaN: true })),
        gateLow: fc.double({ min: -1.5, max: -0.01, noNaN: true }),
        gateHigh: fc.double({ min: 0, max: 1.5, noNaN: true }),
        gateWidth: fc.double({ min: 0.02, max: 0.5, noNaN: true }),
        wDis: vec(d, finite(1)),
        wDot: vec(d, finite(1)),
        betaDis: finite(2),
        betaDot: finite(2),
      }) as fc.Arbitrary<AhopPlusParams>,
    });
  });

const cached: Make = (memories, queries, targets, layout, footprint) =>
  plusObjective(plusPairs(memories, queries, pairFeatures(memories, { queries, targets }, footprint)), layout, footprint);

const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-9 * (1 + scale);

const matchesReadable = (make: Make) =>
  fc.property(fastCase, ({ row, memories, queries, targets, init }) => {
    const r = AHOP_PLUS_ROWS[row];
    const start = r.start(init);
    const layout = ahopPlusLayout(start, r.free);
    const theta = packAhopPlus(start, layout);
    const ref = ahopPlusBatchObjective(theta, memories, { queries, targets }, layout, r.footprint);
    const obj = make(memories, queries, targets, layout, r.footprint);
    const all = queries.map((_, i) => i);
    const fast = obj.lossGrad(theta, all);
    const scale = Math.max(...Array.from(ref.grad, Math.abs), 0);
    return (
      close(fast.loss, ref.loss, Math.abs(ref.loss)) &&
      close(obj.loss(theta, all), ref.loss, Math.abs(ref.loss)) &&
      Array.from(ref.grad).every((g, j) => close(fast.grad[j], g, scale))
    );
  });

describe('the cached A-Hop+ objective of the harness', () => {
  it('has the readable objective\'s loss and gradient, for every harness row', () => expectHolds(matchesReadable(cached), { numRuns: 150 }));

  it('… and one that reads the dot rows in the wrong order (features of the other sort) is caught', () =>
    expectCounterexample(
      matchesReadable((m, q, t, layout, fp) =>
        plusObjective(plusPairs(m, q, pairFeatures(m, { queries: q, targets: t }, { ...fp, sort: !fp.sort })), layout, fp),
      ),
    ));

  it('… and one that drops the link\'s gradient is caught', () =>
    expectCounterexample(
      matchesReadable((m, q, t, layout, fp) => {
        const o = cached(m, q, t, layout, fp);
        // θ's link block starts after the free groups before it (offset, logScale: d entries each).
        const at = layout.free.indexOf('link');
        const from = at * layout.d;
        return {
          loss: o.loss,
          lossGrad(theta, idx) {
            const r = o.lossGrad(theta, idx);
            if (at >= 0) r.grad.fill(0, from, from + layout.d);
            return r;
          },
        };
      }),
    ));

  it('trains the same as its own pairs say: one pair\'s gradient is the single-pair readable gradient (batches of 1)', () =>
    expectHolds(
      fc.property(fastCase, ({ row, memories, queries, targets, init }) => {
        const r = AHOP_PLUS_ROWS[row];
        const start = r.start(init);
        const layout = ahopPlusLayout(start, r.free);
        const theta = packAhopPlus(start, layout);
        const data: PlusPairs = plusPairs(memories, queries, pairFeatures(memories, { queries, targets }, r.footprint));
        const obj = plusObjective(data, layout, r.footprint);
        const last = queries.length - 1;
        const ref = ahopPlusBatchObjective(theta, memories, { queries: [queries[last]], targets: [targets[last]] }, layout, r.footprint);
        const fast = obj.lossGrad(theta, [last]);
        const scale = Math.max(...Array.from(ref.grad, Math.abs), 0);
        return close(fast.loss, ref.loss, Math.abs(ref.loss)) && Array.from(ref.grad).every((g, j) => close(fast.grad[j], g, scale));
      }),
      { numRuns: 50 },
    ));

  /** errors(θ) against a count from the readable scores, on pairs whose top two scores are not within rounding. */
  const countsErrors = (errors: (o: PlusObjective, theta: Float64Array, all: number[]) => number) =>
    fc.property(fastCase, ({ row, memories, queries, targets, init }) => {
      const r = AHOP_PLUS_ROWS[row];
      const start = r.start(init);
      const layout = ahopPlusLayout(start, r.free);
      const theta = packAhopPlus(start, layout);
      const params = unpackAhopPlus(theta, layout);
      const scores = queries.map((q) => ahopPlusScores(memories, q, params, r.footprint));
      const clear = scores.every((s) => {
        const top = [...s].sort((a, b) => b - a);
        return top.length < 2 || top[0] - top[1] > 1e-9 * (1 + Math.abs(top[0]));
      });
      fc.pre(clear);
      const expected = scores.filter((s, i) => s.indexOf(Math.max(...s)) !== targets[i]).length;
      const all = queries.map((_, i) => i);
      return errors(cached(memories, queries, targets, layout, r.footprint) as PlusObjective, theta, all) === expected;
    });

  it('counts the pairs whose highest score is off their source, as the readable scores do', () =>
    expectHolds(countsErrors((o, t, all) => o.errors(t, all)), { numRuns: 100 }));

  it('… and one that counts the pairs it gets right instead is caught', () =>
    expectCounterexample(countsErrors((o, t, all) => all.length - o.errors(t, all))));
});
