/**
 * A-Hop is the special case of A-Hop+: with the identity transform (b = 0, ℓ = 0, λ = 0, so
 * g = −(x − ξ)²/2 = q_dis/2) and β_dis doubled, `identityAhopPlusParams` gives scores equal to
 * A-Hop's (src/hopfield/ahop.ts) — bit for bit, because halving q and doubling β are exact in
 * float64 and every other operation is the same in the same order. That holds while no
 * intermediate underflows into the subnormals, so the inputs here are grid values (multiples of
 * 2^-20·max, no raw tiny doubles), with ties and zeros, under every footprint ablation.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { scores } from '../src/hopfield/ahop.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { ahopPlusScores, identityAhopPlusParams, type AhopPlusParams } from '../src/similarity/adaptive-plus.ts';
import type { FootprintOptions } from '../src/similarity/footprint.ts';
import { tiedEntry } from './support/arbitraries.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

const grid = (max: number) => fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((i) => (i / 2 ** 20) * max);
const entry = fc.oneof({ weight: 4, arbitrary: grid(10) }, { weight: 2, arbitrary: tiedEntry }, { weight: 1, arbitrary: fc.constant(0) });
const vec = (d: number, a: fc.Arbitrary<number>) => fc.array(a, { minLength: d, maxLength: d });

const instance = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 10 }) })
  .chain(({ n, d }) =>
    fc.record({
      memories: fc.array(vec(d, entry), { minLength: n, maxLength: n }),
      query: vec(d, entry),
      params: fc.record({ wDis: vec(d, grid(3)), wDot: vec(d, grid(3)), betaDis: grid(3), betaDot: grid(3) }),
      options: fc.record({ sort: fc.boolean(), cumulative: fc.boolean() }) as fc.Arbitrary<FootprintOptions>,
    }),
  );

const identityEqualsAhop = (identity: (p: AhopParams) => AhopPlusParams) =>
  fc.property(instance, ({ memories, query, params, options }) => {
    const plus = ahopPlusScores(memories, query, identity(params), options);
    const ahop = scores(memories, query, params, options);
    return plus.every((v, k) => v === ahop[k]);
  });

describe('A-Hop is A-Hop+ with the identity transform', () => {
  it('identity-transform A-Hop+ scores equal A-Hop scores exactly, under every footprint ablation', () =>
    expectHolds(identityEqualsAhop(identityAhopPlusParams), { numRuns: 300 }));

  it('… and the identity with β_dis left undoubled (the ½ in u forgotten) is caught', () =>
    expectCounterexample(identityEqualsAhop((p) => ({ ...identityAhopPlusParams(p), betaDis: p.betaDis }))));

  it('… and a link left on (λ = 1 with an open gate) is caught', () =>
    expectCounterexample(
      identityEqualsAhop((p) => ({ ...identityAhopPlusParams(p), linkWeight: p.wDis.map(() => 1), gateLow: -100, gateHigh: 100 })),
    ));
});
