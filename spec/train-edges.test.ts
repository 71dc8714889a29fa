/**
 * Edges of the training modules that the main suites did not reach (docs/mutation.md lists the
 * mutants each test kills): Adam's argument checks, the start's β argument, and the class
 * cross-entropy when the target class scores far below the best memory.
 */
import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../src/errors.ts';
import { createAdam } from '../src/train/adam.ts';
import { classCrossEntropy } from '../src/train/cross-entropy.ts';
import { initialParams } from '../src/train/init.ts';

describe('Adam\'s arguments', () => {
  it('a state of size 0 is a DomainError; size 1 is the smallest', () => {
    expect(() => createAdam(0)).toThrow(DomainError);
    expect(() => createAdam(0)).toThrow(/size must be a positive integer, got 0/);
    expect(() => createAdam(1)).not.toThrow();
  });
  it('θ of another length, or not a Float64Array, is a ShapeError and is left unchanged', () => {
    const adam = createAdam(2);
    const longer = Float64Array.of(1, 2, 3);
    expect(() => adam.step(longer, [1, 1])).toThrow(ShapeError);
    expect(Array.from(longer)).toEqual([1, 2, 3]);
    const plain = [1, 2];
    expect(() => adam.step(plain as unknown as Float64Array, [1, 1])).toThrow(/theta must be a Float64Array of length 2/);
    expect(plain).toEqual([1, 2]);
  });
});

describe('the start\'s β argument', () => {
  it('a β that is not an object is a DomainError, not a TypeError', () => {
    expect(() => initialParams(2, null as unknown as { dis: number; dot: number })).toThrow(DomainError);
    expect(() => initialParams(2, null as unknown as { dis: number; dot: number })).toThrow(/beta must be an object/);
    expect(() => initialParams(2, 5 as unknown as { dis: number; dot: number })).toThrow(/beta must be an object/);
  });
});

describe('the class cross-entropy far from the best memory', () => {
  it('a target class 1000 below the best score keeps a finite loss and gradient, equal to the closed form', () => {
    // P_1 = (e^−1000 + e^−1001) / (1 + e^−1000 + e^−1001): L = 1000 − log(1 + e^−1) to float64 precision.
    const { loss, g } = classCrossEntropy([0, -1000, -1001], [0, 1, 1], 1);
    expect(loss).toBeCloseTo(1000 - Math.log1p(Math.exp(-1)), 10);
    // g_k = p_k − 1[c_k = 1] p_k / P_1: p_0 ≈ 1; within class 1, p_k / P_1 = 1/(1 + e^−1) and e^−1/(1 + e^−1).
    expect(g[0]).toBeCloseTo(1, 12);
    expect(g[1]).toBeCloseTo(-1 / (1 + Math.exp(-1)), 12);
    expect(g[2]).toBeCloseTo(-Math.exp(-1) / (1 + Math.exp(-1)), 12);
  });
});
