/**
 * Claim: M-Hop with β → ∞ returns the pattern with the largest dot product. When the best ξ_kᵀx
 * leads the runner-up by g, every other weight is at most e^{−βg}; at β g ≥ 800 those underflow to
 * exactly 0 and y = ξ_{argmax_k ξ_kᵀx} exactly. Along the way, p of that pattern never decreases
 * as β grows (dp_top/dβ = p_top (s_top − E_p[s]) ≥ 0).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { mhopRetrieve } from '../src/baselines/mhop.ts';
import type { Retrieval } from '../src/baselines/method.ts';
import { softmax } from '../src/numeric/logsumexp.ts';
import { readout } from '../src/hopfield/ahop.ts';
import { finite, vector } from './support/arbitraries.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type Impl = (memories: number[][], query: number[], beta: number) => Retrieval;

const dots = (memories: number[][], x: number[]) => memories.map((m) => m.reduce((a, v, i) => a + v * x[i], 0));

/** Memories and a query whose best dot product leads the runner-up by at least 1e-3. */
const separated = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 6 }) })
  .chain(({ n, d }) => fc.record({ memories: fc.array(vector(d, finite(10)), { minLength: n, maxLength: n }), query: vector(d, finite(10)) }))
  .filter(({ memories, query }) => {
    const s = dots(memories, query).sort((a, b) => b - a);
    return s.length < 2 || s[0] - s[1] >= 1e-3;
  });

function top(memories: number[][], x: number[]): { k: number; gap: number } {
  const s = dots(memories, x);
  const k = s.indexOf(Math.max(...s));
  const rest = s.filter((_, j) => j !== k);
  return { k, gap: rest.length === 0 ? 1 : s[k] - Math.max(...rest) };
}

export const largestDotInTheLimit = (impl: Impl) =>
  fc.property(separated, ({ memories, query }) => {
    const { k, gap } = top(memories, query);
    const r = impl(memories, query, 800 / gap);
    return r.retrieved.every((v, i) => v === memories[k][i]) && r.probs[k] === 1;
  });

export const topWeightGrowsWithBeta = (impl: Impl) =>
  fc.property(separated, fc.double({ min: 1e-3, max: 10, noNaN: true }), fc.double({ min: 1, max: 10, noNaN: true }), ({ memories, query }, beta, factor) => {
    const { k } = top(memories, query);
    return impl(memories, query, beta * factor).probs[k] >= impl(memories, query, beta).probs[k] - 1e-15;
  });

/** M-Hop scored by negative squared distance instead of the dot product (nearest, not largest ξᵀx). */
const byDistance: Impl = (memories, query, beta) => {
  const p = softmax(memories.map((m) => -beta * m.reduce((a, v, i) => a + (v - query[i]) ** 2, 0)));
  return { probs: p, retrieved: readout(memories, p) };
};

/** M-Hop with β dividing instead of multiplying (β → ∞ flattens p to uniform). */
const inverted: Impl = (memories, query, beta) => {
  const p = softmax(dots(memories, query).map((s) => s / beta));
  return { probs: p, retrieved: readout(memories, p) };
};

describe('M-Hop as β → ∞', () => {
  it('holds: returns exactly the pattern with the largest dot product', () => expectHolds(largestDotInTheLimit(mhopRetrieve), { numRuns: 300 }));
  it('holds: the weight of that pattern grows with β', () => expectHolds(topWeightGrowsWithBeta(mhopRetrieve), { numRuns: 300 }));
  it('catches M-Hop scored by distance', () => expectCounterexample(largestDotInTheLimit(byDistance)));
  it('catches β applied as a temperature', () => {
    expectCounterexample(largestDotInTheLimit(inverted));
    expectCounterexample(topWeightGrowsWithBeta(inverted));
  });
});
