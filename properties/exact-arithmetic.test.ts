/**
 * Float64 against 64-digit arithmetic (mathjs BigNumber): the footprint, softmax and lse agree with
 * their exact values to a few units in the last place, also at scores of magnitude 1e4 … 1e300.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { footprintExact, logSoftmaxExact, lseExact, toNumber } from '../src/conformance/exact.ts';
import { logSumExp, softmax } from '../src/numeric/logsumexp.ts';
import { footprint } from '../src/similarity/footprint.ts';
import { big } from '../src/numeric/bignum.ts';
import { finite, tiedEntry, vector } from './support/arbitraries.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

const EPS = Number.EPSILON;

const scores = fc
  .tuple(fc.integer({ min: 1, max: 8 }), fc.constantFrom(1, 1e4, 1e100, 1e300))
  .chain(([n, scale]) => vector(n, finite(1).map((v) => v * scale)));

const lseIsExact = (lse: (v: number[]) => number) =>
  fc.property(scores, (s) => {
    const exact = toNumber(lseExact(s.map(big)));
    const got = lse(s);
    // lse's error: a few ulps of the result plus the rounding of max(s) (≤ ε|max|).
    const maxAbs = Math.max(...s.map(Math.abs));
    return Number.isFinite(got) && Math.abs(got - exact) <= 8 * EPS * (Math.abs(exact) + maxAbs + 1);
  });

const softmaxIsExact = (sm: (v: number[]) => number[]) =>
  fc.property(scores, (s) => {
    const logP = logSoftmaxExact(s.map(big));
    const got = sm(s);
    // exp amplifies the absolute error of (s_k − lse), which is about ε·max|s|, into a relative one.
    const maxAbs = Math.max(...s.map(Math.abs));
    return got.every((p, k) => {
      const exact = toNumber(logP[k].exp());
      return Number.isFinite(p) && Math.abs(p - exact) <= 1e-15 + 8 * EPS * (1 + maxAbs) * exact;
    });
  });

const footprintIsExact = (ftpt: (xi: number[], x: number[]) => number[]) =>
  fc.property(
    fc.integer({ min: 1, max: 10 }).chain((d) => fc.tuple(vector(d, fc.oneof(finite(100), tiedEntry)), vector(d, fc.oneof(finite(100), tiedEntry)))),
    ([xi, x]) => {
      const exact = footprintExact('dis', xi, x).map(toNumber);
      const scale = xi.reduce((a, v, i) => a + (v - x[i]) ** 2, 0);
      return ftpt(xi, x).every((v, j) => Math.abs(v - exact[j]) <= 4 * xi.length * EPS * scale);
    },
  );

describe('exact arithmetic check', () => {
  it('lse agrees with its 64-digit value at scores up to 1e300', () => expectHolds(lseIsExact(logSumExp), { numRuns: 200 }));
  it('… and lse without the max shift is caught (it overflows)', () =>
    expectCounterexample(lseIsExact((v) => Math.log(v.reduce((a, x) => a + Math.exp(x), 0)))));

  it('softmax agrees with exp(s_k − lse) in 64 digits at scores up to 1e300', () =>
    expectHolds(softmaxIsExact(softmax), { numRuns: 200 }));
  it('… and softmax without the max shift is caught', () =>
    expectCounterexample(
      softmaxIsExact((v) => {
        const e = v.map(Math.exp);
        const z = e.reduce((a, b) => a + b, 0);
        return e.map((x) => x / z);
      }),
    ));

  it('the float64 distance footprint agrees with the exact one to rounding', () =>
    expectHolds(footprintIsExact((xi, x) => footprint('dis', xi, x))));
  it('… and an unsorted footprint is caught', () =>
    expectCounterexample(footprintIsExact((xi, x) => footprint('dis', xi, x, { sort: false, cumulative: true }))));
});
