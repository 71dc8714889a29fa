import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/errors.ts';
import { minimise, type MinimiseProblem } from '../src/train/loop.ts';

/** L_i(θ) = (θ_0 − y_i)² + θ_1²: mean minimised at θ = (mean y, 0). */
const y = [1, 3];
const problem = (theta0 = [0, 5]): MinimiseProblem => ({
  theta0: Float64Array.from(theta0),
  count: y.length,
  batchLossGrad: (t, idx) => ({
    loss: idx.reduce((a, i) => a + (t[0] - y[i]) ** 2 + t[1] ** 2, 0) / idx.length,
    grad: [idx.reduce((a, i) => a + 2 * (t[0] - y[i]), 0) / idx.length, 2 * t[1]],
  }),
});
const options = { epochs: 300, lr: 0.1, batchSize: 2, seed: 0 };

describe('minimise (the one training loop)', () => {
  it('finds the minimiser of a mean squared loss (the TSDoc example)', () => {
    const r = minimise(problem(), options);
    expect(r.theta[0]).toBeCloseTo(2, 2);
    expect(r.theta[1]).toBeCloseTo(0, 2);
    expect(r.finalLoss).toBeLessThan(r.losses[0]);
    expect(r.losses).toHaveLength(options.epochs + 1);
  });
  it('leaves θ₀ untouched and holds frozen parameters fixed', () => {
    const p = problem();
    const r = minimise(p, { ...options, frozen: [1] });
    expect(Array.from(p.theta0)).toEqual([0, 5]);
    expect(r.theta[1]).toBe(5);
  });
  it('returns the start when no epoch improves the criterion (a held-out loss that only rises)', () => {
    // The criterion is lowest at θ₀ = (0, 0) and rises as θ_0 moves toward 2.
    const r = minimise({ ...problem([0, 0]), criterion: (t) => Math.abs(t[0]) }, options);
    expect(r.bestEpoch).toBe(0);
    expect(Array.from(r.theta)).toEqual([0, 0]);
  });
  it("without the safeguard ('none') returns the last iterate", () => {
    const r = minimise({ ...problem([0, 0]), criterion: (t) => Math.abs(t[0]) }, { ...options, safeguard: 'none' });
    expect(r.bestEpoch).toBe(options.epochs);
    expect(r.theta[0]).toBeCloseTo(2, 2);
  });
  it('calls onEpoch once per epoch with that epoch’s mean batch loss', () => {
    const seen: number[] = [];
    const r = minimise(problem(), { ...options, epochs: 4, onEpoch: (e, l) => seen.push(e, l) });
    expect(seen).toEqual([1, r.losses[1], 2, r.losses[2], 3, r.losses[3], 4, r.losses[4]]);
  });
  it('refuses bad options and a diverging run with a DomainError naming the field', () => {
    expect(() => minimise(problem(), { ...options, epochs: 0 })).toThrow(/epochs/);
    expect(() => minimise(problem(), { ...options, lr: -1 })).toThrow(/lr/);
    expect(() => minimise(problem(), { ...options, batchSize: 1.5 })).toThrow(/batchSize/);
    expect(() => minimise({ ...problem(), count: 0 }, options)).toThrow(/count/);
    expect(() => minimise(problem(), { ...options, safeguard: 'x' as never })).toThrow(/safeguard/);
    expect(() => minimise(problem(), { ...options, lr: 1e308 })).toThrow(DomainError);
  });
});
