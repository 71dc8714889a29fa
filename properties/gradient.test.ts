/**
 * The analytic gradient of L = −log p_t with respect to (w_dis, w_dot, β_dis, β_dot) matches central
 * finite differences. L is smooth in the parameters (the footprints do not depend on them), so the
 * difference quotient converges; the tolerance covers its O(h²) truncation and O(ε/h) rounding.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { flatten, unflatten } from '../src/train/init.ts';
import { lossAndGradient, type LossGradient } from '../src/train/loss.ts';
import { finite, problem } from './support/arbitraries.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type Objective = (memories: number[][], query: number[], target: number, p: AhopParams) => LossGradient;

const H = 1e-6;

const instance = problem(4, 5, finite(2)).chain((p) =>
  fc.record({ ...Object.fromEntries(Object.entries(p).map(([k, v]) => [k, fc.constant(v)])), target: fc.nat({ max: p.memories.length - 1 }) }),
) as fc.Arbitrary<{ memories: number[][]; query: number[]; params: AhopParams; target: number }>;

const gradientMatchesFiniteDifferences = (objective: Objective) =>
  fc.property(instance, ({ memories, query, params, target }) => {
    const d = query.length;
    const g = flatten(objective(memories, query, target, params).grad);
    const theta = flatten(params);
    return Array.from(theta).every((t, i) => {
      const at = (delta: number) => {
        const shifted = Float64Array.from(theta);
        shifted[i] = t + delta;
        return lossAndGradient(memories, query, target, unflatten(shifted, d)).loss;
      };
      const fd = (at(H) - at(-H)) / (2 * H);
      return Math.abs(fd - g[i]) <= 1e-4 * (1 + Math.abs(g[i]));
    });
  });

describe('analytic gradient', () => {
  it('matches central finite differences in every coordinate', () =>
    expectHolds(gradientMatchesFiniteDifferences(lossAndGradient), { numRuns: 60 }));

  it('… and a gradient with the wrong sign for β_dot is caught', () =>
    expectCounterexample(
      gradientMatchesFiniteDifferences((m, q, t, p) => {
        const r = lossAndGradient(m, q, t, p);
        return { ...r, grad: { ...r.grad, betaDot: -r.grad.betaDot } };
      }),
    ));

  it('… and ∂L/∂c passed off as ∂L/∂w (prefix sums forgotten) is caught', () =>
    expectCounterexample(
      gradientMatchesFiniteDifferences((m, q, t, p) => {
        const r = lossAndGradient(m, q, t, p);
        const unPrefix = (g: number[]) => g.map((v, j) => (j === 0 ? v : v - g[j - 1]));
        return { ...r, grad: { ...r.grad, wDis: unPrefix(r.grad.wDis) } };
      }),
    ));
});
