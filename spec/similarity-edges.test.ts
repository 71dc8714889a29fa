/**
 * Edges of the similarity modules that the mutation run (docs/mutation.md) found untested: the
 * numerically stable branches of log σ, the closed ends of a hard gate, non-finite A-Hop+ scores,
 * and the checks at the public boundary (each names its field).
 */
import { describe, expect, it } from 'vitest';
import { checkParams } from '../src/similarity/adaptive.ts';
import { ahopPlusScores, bayesAhopPlusParams, checkAhopPlusParams, identityAhopPlusParams, logGate, logSigmoid } from '../src/similarity/adaptive-plus.ts';
import { checkFootprintOptions } from '../src/similarity/footprint.ts';
import { DomainError } from '../src/errors.ts';

describe('log σ and the hard gate at their edges', () => {
  it('log σ(z) stays exact where e^{±z} overflows: log σ(800) = −e^{−800} → 0, log σ(−800) = −800', () => {
    expect(logSigmoid(800)).toBe(-0);
    expect(logSigmoid(-800)).toBe(-800);
    expect(logSigmoid(0)).toBe(-Math.LN2);
  });
  it('a gate of width 0 is the closed interval: 0 at both ends, −∞ just outside', () => {
    expect(logGate(1, 1, 2, 0)).toBe(0);
    expect(logGate(2, 1, 2, 0)).toBe(0);
    expect(logGate(0.999, 1, 2, 0)).toBe(-Infinity);
    expect(logGate(2.001, 1, 2, 0)).toBe(-Infinity);
  });
});

describe('A-Hop+ scores and parameters at the public boundary', () => {
  const id = identityAhopPlusParams({ wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 });
  it('a score that overflows float64 is a DomainError naming the memory, the first one included', () => {
    expect(() => ahopPlusScores([[1e200], [0]], [0], id)).toThrow(/s\(ξ_0, x\) = -Infinity/);
    expect(() => ahopPlusScores([[0], [1e200]], [0], id)).toThrow(/s\(ξ_1, x\)/);
  });
  it('a query of the wrong length is a ShapeError naming the query', () => {
    expect(() => ahopPlusScores([[0, 1]], [0], identityAhopPlusParams({ wDis: [1, 0], wDot: [0, 0], betaDis: 1, betaDot: 0 }))).toThrow(
      /query has length 1 but memories have d = 2/,
    );
  });
  it('params that are not an object are refused as such', () => {
    expect(() => checkAhopPlusParams(5)).toThrow(/params must be an object/);
    expect(() => checkAhopPlusParams([1, 2])).toThrow(/params must be an object/);
  });
  it('bayesAhopPlusParams refuses a d that is not a positive integer', () => {
    for (const d of [0, -1, 1.5]) expect(() => bayesAhopPlusParams({ type: 'noisy', sigma: 1 }, d)).toThrow(/d must be a positive integer/);
  });
  it('bayesAhopPlusParams names the variant field whose length is wrong, in every family', () => {
    expect(() => bayesAhopPlusParams({ type: 'noisy', sigma: [1, 2] }, 3)).toThrow(/variant\.sigma has length 2/);
    expect(() => bayesAhopPlusParams({ type: 'masked', rho: 0.2, sigma: [1, 2], low: 0, high: 1 }, 3)).toThrow(/variant\.sigma has length 2/);
    expect(() => bayesAhopPlusParams({ type: 'biased', sigma: [1, 2], bias: 0 }, 3)).toThrow(/variant\.sigma has length 2/);
    expect(() => bayesAhopPlusParams({ type: 'biased', sigma: 1, bias: [1, 2] }, 3)).toThrow(/variant\.bias has length 2/);
    expect(() => bayesAhopPlusParams({ type: 'composed', rho: 0.2, sigma: [1, 2], bias: 0, low: 0, high: 1 }, 3)).toThrow(/variant\.sigma has length 2/);
    expect(() => bayesAhopPlusParams({ type: 'composed', rho: 0.2, sigma: 1, bias: [1, 2], low: 0, high: 1 }, 3)).toThrow(/variant\.bias has length 2/);
  });
});

describe('A-Hop params and footprint options at the public boundary', () => {
  it('without a given d, w_dis and w_dot of different lengths are refused', () => {
    expect(() => checkParams({ wDis: [1, 2], wDot: [1], betaDis: 1, betaDot: 1 })).toThrow(/params\.wDot must have length 2, got 1/);
  });
  it('footprint options must be { sort: boolean, cumulative: boolean }', () => {
    expect(() => checkFootprintOptions({ sort: 'yes', cumulative: true })).toThrow(/options must be \{ sort: boolean, cumulative: boolean \}/);
    expect(() => checkFootprintOptions({ sort: true })).toThrow(DomainError);
    expect(() => checkFootprintOptions(null, 'footprint')).toThrow(/footprint must be/);
    expect(checkFootprintOptions({ sort: false, cumulative: true })).toEqual({ sort: false, cumulative: true });
  });
});
