/**
 * Claim 10 (first part): for fixed β the cross-entropy L(w) = lse_k(s_k) − s_t is convex in
 * (w_dis, w_dot), because every s_k is linear in w and lse is convex. Checked on random chords:
 * L(λa + (1−λ)b) ≤ λL(a) + (1−λ)L(b).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { lossAndGradient } from '../src/train/loss.ts';
import { finite, params, problem } from './support/arbitraries.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type Loss = (memories: number[][], query: number[], target: number, p: AhopParams) => number;

const mix = (a: number[], b: number[], l: number) => a.map((v, i) => l * v + (1 - l) * b[i]);

const lossIsConvexInW = (loss: Loss) =>
  fc.property(
    problem(4, 5, finite(2)).chain((p) =>
      fc.tuple(fc.constant(p), params(p.query.length), fc.nat({ max: p.memories.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true })),
    ),
    ([{ memories, query, params: a }, b, target, l]) => {
      const bb: AhopParams = { ...b, betaDis: a.betaDis, betaDot: a.betaDot };
      const mid: AhopParams = { ...a, wDis: mix(a.wDis, bb.wDis, l), wDot: mix(a.wDot, bb.wDot, l) };
      const la = loss(memories, query, target, a);
      const lb = loss(memories, query, target, bb);
      const chord = l * la + (1 - l) * lb;
      return loss(memories, query, target, mid) <= chord + 1e-9 * (1 + Math.abs(la) + Math.abs(lb));
    },
  );

const ce: Loss = (m, q, t, p) => lossAndGradient(m, q, t, p).loss;

describe('cross-entropy convexity', () => {
  it('L is convex in (w_dis, w_dot) for fixed β', () => expectHolds(lossIsConvexInW(ce), { numRuns: 300 }));
  it('… and the log-likelihood taken with the wrong sign (concave) is caught', () =>
    expectCounterexample(lossIsConvexInW((m, q, t, p) => -ce(m, q, t, p))));
});
