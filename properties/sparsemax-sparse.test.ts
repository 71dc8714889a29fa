/**
 * Claim: sparsemax is exactly sparse when scores are separated — every z_i at least 1 below the
 * maximum gets p_i = 0 exactly (τ ≥ z_max − 1), so a maximum ahead of all others by ≥ 1 gives
 * exactly the one-hot vector.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { softmax } from '../src/numeric/logsumexp.ts';
import { sparsemax } from '../src/baselines/sparsemax.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type Impl = (z: readonly number[]) => number[];

const scores = fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 12 });

export const zeroBelowMaxMinusOne = (impl: Impl) =>
  fc.property(scores, (z) => {
    const p = impl(z);
    const m = Math.max(...z);
    return z.every((v, i) => !(v <= m - 1) || p[i] === 0);
  });

/** The maximum ahead by a gap ≥ 1: p is exactly e_top. */
export const oneHotWhenSeparated = (impl: Impl) =>
  fc.property(scores, fc.double({ min: 1, max: 50, noNaN: true }), fc.nat(), (rest, gap, at) => {
    const z = [...rest];
    const top = at % (z.length + 1);
    z.splice(top, 0, Math.max(...rest, -20) + gap);
    const p = impl(z);
    return p.every((v, i) => v === (i === top ? 1 : 0));
  });

/** Dense "sparsemax": softmax (never exactly 0 for moderate scores). */
const dense: Impl = (z) => softmax(z);
/** A smoothed sparsemax that floors every weight at 1e-9 and renormalises. */
const floored: Impl = (z) => {
  const p = sparsemax(z).map((v) => Math.max(v, 1e-9));
  const s = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / s);
};

describe('sparsemax is exactly sparse when scores are separated', () => {
  it('holds: entries ≥ 1 below the maximum are exactly 0', () => expectHolds(zeroBelowMaxMinusOne(sparsemax), { numRuns: 500 }));
  it('holds: a maximum ahead by ≥ 1 gives exactly the one-hot vector', () => expectHolds(oneHotWhenSeparated(sparsemax), { numRuns: 500 }));
  it('catches softmax passed off as sparsemax', () => {
    expectCounterexample(zeroBelowMaxMinusOne(dense));
    expectCounterexample(oneHotWhenSeparated(dense));
  });
  it('catches a floored (never exactly zero) sparsemax', () => {
    expectCounterexample(zeroBelowMaxMinusOne(floored));
    expectCounterexample(oneHotWhenSeparated(floored));
  });
});
