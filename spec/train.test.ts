import { describe, expect, it } from 'vitest';
import { DomainError, ParseError, ShapeError } from '../src/errors.ts';
import { loadModel, saveModel } from '../src/hopfield/model-json.ts';
import { createRng } from '../src/random/rng.ts';
import { createAdam } from '../src/train/adam.ts';
import { flatten, initialParams, unflatten } from '../src/train/init.ts';
import { lossAndGradient } from '../src/train/loss.ts';
import { train, trainOnPairs } from '../src/train/train.ts';
import { masked } from '../src/variants/index.ts';

const rng = createRng(11);
const memories = Array.from({ length: 8 }, () => Array.from({ length: 6 }, () => rng.uniform()));
const variant = masked(0.4, 0.05, 0, 1);

describe('Adam', () => {
  it('minimises a quadratic: θ → 3 for (θ − 3)²', () => {
    const theta = Float64Array.from([0]);
    const adam = createAdam(1, { lr: 0.1 });
    for (let t = 0; t < 500; t++) adam.step(theta, [2 * (theta[0] - 3)]);
    expect(theta[0]).toBeCloseTo(3, 3);
  });
  it('the first step moves every coordinate by lr against the gradient sign (bias correction)', () => {
    const theta = Float64Array.from([0, 0]);
    createAdam(2, { lr: 0.1 }).step(theta, [5, -0.001]);
    expect(theta[0]).toBeCloseTo(-0.1, 6);
    expect(theta[1]).toBeCloseTo(0.1, 4);
  });
  it('rejects lr ≤ 0 and β outside [0, 1)', () => {
    expect(() => createAdam(1, { lr: 0 })).toThrow(DomainError);
    expect(() => createAdam(1, { beta1: 1 })).toThrow(DomainError);
  });
});

describe('initialisation', () => {
  it('starts A-Hop as plain negative squared distance: w = e_d, β_dis = 1, β_dot = 0', () =>
    expect(initialParams(3)).toEqual({ wDis: [0, 0, 1], wDot: [0, 0, 1], betaDis: 1, betaDot: 0 }));
  it('flatten and unflatten are inverse', () => {
    const p = { wDis: [1, 2], wDot: [3, 4], betaDis: 5, betaDot: 6 };
    expect(unflatten(flatten(p), 2)).toEqual(p);
  });
});

describe('cross-entropy loss', () => {
  const oneDim = { wDis: [1], wDot: [0], betaDis: 1, betaDot: 0 };
  it('keeps full relative accuracy when p_t ≈ 1: L = log(1 + e^{−700}) ≈ e^{−700}', () => {
    const r = lossAndGradient([[0], [Math.sqrt(700)]], [0], 0, oneDim);
    const gap = Math.sqrt(700) ** 2;
    expect(Math.abs(r.loss / Math.exp(-gap) - 1)).toBeLessThan(1e-12);
  });
  it('is finite at score gaps of 1e4, both for the winning and the losing target', () => {
    expect(lossAndGradient([[0], [100]], [0], 0, oneDim).loss).toBe(0);
    expect(lossAndGradient([[0], [100]], [0], 1, oneDim).loss).toBe(1e4);
  });
  it('equals log N at zero parameters', () => {
    const zero = { wDis: Array(6).fill(0), wDot: Array(6).fill(0), betaDis: 1, betaDot: 1 };
    expect(lossAndGradient(memories, memories[0], 3, zero).loss).toBeCloseTo(Math.log(8), 14);
  });
  it('rejects a target outside [0, N)', () => expect(() => lossAndGradient(memories, memories[0], 8, initialParams(6))).toThrow(/target/));
});

describe('training', () => {
  it('is deterministic for a seed', () => {
    const a = train(memories, variant, { epochs: 5, pairs: 32, seed: 3 });
    const b = train(memories, variant, { epochs: 5, pairs: 32, seed: 3 });
    expect(a).toEqual(b);
  });
  it('records the initial loss and one loss per epoch, and calls onEpoch', () => {
    const seen: number[] = [];
    const r = train(memories, variant, { epochs: 4, pairs: 32, onEpoch: (e) => seen.push(e) });
    expect(r.losses).toHaveLength(5);
    expect(seen).toEqual([1, 2, 3, 4]);
  });
  it('a left-out base keeps β = 0', () => {
    const r = train(memories, variant, { epochs: 3, pairs: 32, bases: ['dis'] });
    expect(r.params.betaDot).toBe(0);
    expect(r.params.wDot).toEqual(initialParams(6).wDot);
  });
  it('dot-only starts from β_dot = 1 and keeps β_dis = 0', () => {
    const r = train(memories, variant, { epochs: 3, pairs: 32, bases: ['dot'] });
    expect(r.params.betaDis).toBe(0);
  });
  it('rejects bad options and mismatched pairs', () => {
    expect(() => train(memories, variant, { epochs: 0 })).toThrow(/epochs/);
    expect(() => train(memories, variant, { lr: Number.NaN })).toThrow(/lr/);
    expect(() => trainOnPairs(memories, { queries: [memories[0]], targets: [] })).toThrow(/targets/);
    expect(() => trainOnPairs(memories, { queries: [[0, 0]], targets: [0] })).toThrow(ShapeError);
  });
  it('reports divergence instead of returning NaN parameters', () =>
    expect(() => train(memories, variant, { epochs: 3, pairs: 16, lr: 1e308 })).toThrow(/diverged|finite/));
});

describe('model JSON', () => {
  const model = { params: { wDis: [0.1, 1 / 3, -2e-300], wDot: [Math.PI, 0, 1e300], betaDis: 0.7, betaDot: -1e-17 }, footprint: { sort: true, cumulative: false } };
  it('round-trips exactly', () => expect(loadModel(saveModel(model))).toEqual(model));
  it('carries a format version and d', () => {
    const j = JSON.parse(saveModel(model));
    expect([j.format, j.version, j.d]).toEqual(['ahop-model', 1, 3]);
  });
  it('a truncated file is a ParseError', () => expect(() => loadModel(saveModel(model).slice(0, 40))).toThrow(ParseError));
  it('an unknown version is refused', () => {
    const j = JSON.parse(saveModel(model));
    j.version = 2;
    expect(() => loadModel(JSON.stringify(j))).toThrow(/model\.version must be 1, got 2/);
  });
  it('loading into a mismatched d fails clearly', () => expect(() => loadModel(saveModel(model), 4)).toThrow(/d = 3 but the data have d = 4/));
  it('weights of the wrong length are refused', () => {
    const j = JSON.parse(saveModel(model));
    j.params.w_dis = [1];
    expect(() => loadModel(JSON.stringify(j))).toThrow(ShapeError);
  });
});
