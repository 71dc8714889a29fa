/**
 * The batched A-Hop+ scorer (src/hopfield/batch-plus.ts) computes the readable scores
 * (`ahopPlusScores`, src/similarity/adaptive-plus.ts) for random N, d (d = 1 included), B, ties,
 * zeros, smooth and hard gates, the link on and off, and all four footprint ablations.
 *
 * Tolerance: both sides evaluate the same per-dimension values g_i (the same scalar functions),
 * sort them (values only, so ties do not matter) and sum β·c_r·g̃_r in the same order; only
 * e^{−2ℓ} and the suffix sums are hoisted. We allow 4(d + 3)u·A with
 * A = Σ_base |β_base| Σ_r |c_r| |g̃_r| (as for A-Hop's batched scorer), a rounding bound that does
 * not rely on the two being bitwise equal (they are, on every case drawn here).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { scoreBatchPlus } from '../src/hopfield/batch-plus.ts';
import { ahopPlusScores, transformedSimilarities, type AhopPlusParams } from '../src/similarity/adaptive-plus.ts';
import { suffixSums, type FootprintOptions } from '../src/similarity/footprint.ts';
import { finite, tiedEntry } from './support/arbitraries.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type ScoreBatchPlus = typeof scoreBatchPlus;
const U = 2 ** -53;
const entry = fc.oneof({ weight: 4, arbitrary: finite(3) }, { weight: 2, arbitrary: tiedEntry }, { weight: 1, arbitrary: fc.constant(0) });
const vec = (d: number, a: fc.Arbitrary<number>) => fc.array(a, { minLength: d, maxLength: d });

const batchCase = fc
  .record({ n: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 1, max: 12 }), b: fc.integer({ min: 1, max: 3 }) })
  .chain(({ n, d, b }) =>
    fc.record({
      n: fc.constant(n),
      d: fc.constant(d),
      b: fc.constant(b),
      memories: fc.array(vec(d, entry), { minLength: n, maxLength: n }),
      queries: fc.array(vec(d, entry), { minLength: b, maxLength: b }),
      params: fc.record({
        offset: vec(d, finite(1)),
        logScale: vec(d, finite(1)),
        linkWeight: vec(d, fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 5, noNaN: true }))),
        gateLow: fc.double({ min: -3, max: -0.01, noNaN: true }),
        gateHigh: fc.double({ min: 0, max: 3, noNaN: true }),
        gateWidth: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1, noNaN: true })),
        wDis: vec(d, finite(3)),
        wDot: vec(d, finite(3)),
        betaDis: finite(3),
        betaDot: finite(3),
      }) as fc.Arbitrary<AhopPlusParams>,
      options: fc.record({ sort: fc.boolean(), cumulative: fc.boolean() }) as fc.Arbitrary<FootprintOptions>,
    }),
  );

const matchesReadable = (batch: ScoreBatchPlus) =>
  fc.property(batchCase, ({ n, d, b, memories, queries, params, options }) => {
    const out = batch(Float64Array.from(memories.flat()), n, d, Float64Array.from(queries.flat()), b, params, options);
    const c = (w: number[]) => (options.cumulative ? suffixSums(w) : w).map(Math.abs);
    return queries.every((x, q) => {
      const ref = ahopPlusScores(memories, x, params, options);
      return ref.every((s, k) => {
        const g = transformedSimilarities(memories[k], x, params).map(Math.abs).sort((u, v) => v - u);
        const dot = memories[k].map((m, i) => Math.abs(m * x[i])).sort((u, v) => v - u);
        const a =
          Math.abs(params.betaDis) * c(params.wDis).reduce((acc, ci, r) => acc + ci * g[r], 0) +
          Math.abs(params.betaDot) * c(params.wDot).reduce((acc, ci, r) => acc + ci * dot[r], 0);
        return Math.abs(out[q * n + k] - s) <= 4 * (d + 3) * U * a;
      });
    });
  });

describe('batched A-Hop+ scorer', () => {
  it('equals the readable A-Hop+ scores within the rounding bound', () => expectHolds(matchesReadable(scoreBatchPlus), { numRuns: 200 }));

  it('… and a batch that weights the sorted row from the wrong end (ascending) is caught', () =>
    expectCounterexample(
      matchesReadable((mem, n, d, q, b, p, o) => scoreBatchPlus(mem, n, d, q, b, { ...p, wDis: [...p.wDis].reverse() }, o)),
    ));

  it('… and a batch that ignores the gate (G = 1) is caught', () =>
    expectCounterexample(matchesReadable((mem, n, d, q, b, p, o) => scoreBatchPlus(mem, n, d, q, b, { ...p, gateLow: -1e6, gateHigh: 1e6, gateWidth: 0 }, o))),
  );
});
