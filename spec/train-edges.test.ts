/**
 * Edges of the training modules that the main suites did not reach (docs/mutation.md lists the
 * mutants each test kills): Adam's argument checks, the start's β argument, the class
 * cross-entropy when the target class scores far below the best memory, and the training entry
 * points (bases, the readout selection's memories, the batch-mean loss and gradient, train()'s
 * pair seed, the safeguard's choice by each selection).
 */
import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../src/errors.ts';
import { createAdam } from '../src/train/adam.ts';
import { classCrossEntropy } from '../src/train/cross-entropy.ts';
import { initialParams } from '../src/train/init.ts';
import { nearestMemory } from '../src/hopfield/correct-retrieval.ts';
import { retrieve } from '../src/hopfield/ahop.ts';
import { createRng } from '../src/random/rng.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { sortedRows } from '../src/train/features.ts';
import { lossAndGradient } from '../src/train/loss.ts';
import { holdOut } from '../src/train/loop.ts';
import { samplePairs } from '../src/train/pairs.ts';
import { TRAIN_DEFAULTS, train, trainOnPairs, trainOnRows } from '../src/train/train.ts';
import { noisy } from '../src/variants/noisy.ts';

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

describe('the training entry points (train.ts)', () => {
  const rng = createRng(11);
  const memories = Array.from({ length: 4 }, () => Array.from({ length: 6 }, () => rng.uniform()));
  const variant = noisy(0.35);
  const pairs = samplePairs(memories, variant, 24, createRng(12));

  it('bases with one unknown entry beside a known one are refused', () => {
    expect(() => trainOnPairs(memories, pairs, { epochs: 1, bases: ['dis', 'cos' as never] })).toThrow(/bases must be a non-empty array of dis, dot/);
  });

  it("trainOnRows refuses selection 'readout' without the memories, and runs with them or with argmax", () => {
    const rows = pairs.queries.map((q) => sortedRows(memories, q));
    const o = { ...TRAIN_DEFAULTS, epochs: 1, validationShare: 0.25 };
    expect(() => trainOnRows(rows, pairs.targets, 4, 6, { ...o, selection: 'readout' })).toThrow(DomainError);
    expect(() => trainOnRows(rows, pairs.targets, 4, 6, { ...o, selection: 'readout' })).toThrow(/readout/);
    expect(() => trainOnRows(rows, pairs.targets, 4, 6, { ...o, selection: 'readout' }, memories)).not.toThrow();
    expect(() => trainOnRows(rows, pairs.targets, 4, 6, { ...o, selection: 'argmax' })).not.toThrow();
    expect(() => trainOnRows(rows, pairs.targets, 4, 6, o)).not.toThrow();
  });

  it('one epoch in one batch of every pair is one Adam step on the mean gradient, and the losses are the mean losses (readable lossAndGradient)', () => {
    // β_dot ≠ 0, so every entry of the gradient is non-zero (∂L/∂w_dot = β_dot U Σ_k g_k q̃_dot,k).
    const theta0 = initialParams(6, { dis: 1, dot: 0.5 });
    const r = trainOnPairs(memories, pairs, { epochs: 1, batchSize: 24, lr: 0.1, safeguard: 'none', init: theta0 });
    const mean = (p: AhopParams) => {
      const all = pairs.queries.map((q, i) => lossAndGradient(memories, q, pairs.targets[i], p));
      const g = all.map((a) => [...a.grad.wDis, ...a.grad.wDot, a.grad.betaDis, a.grad.betaDot]);
      return { loss: all.reduce((a, b) => a + b.loss, 0) / 24, grad: g[0].map((_, j) => g.reduce((a, row) => a + row[j], 0) / 24) };
    };
    const start = mean(theta0);
    expect(r.losses[0]).toBeCloseTo(start.loss, 12);
    expect(r.losses[1]).toBeCloseTo(start.loss, 12);
    // Adam's first step: m̂ = g, v̂ = g², θ₁ = θ₀ − lr · g / (|g| + ε) (ε = 1e-8 makes the step depend on |g|).
    const flat0 = [...theta0.wDis, ...theta0.wDot, theta0.betaDis, theta0.betaDot];
    const flat1 = [...r.params.wDis, ...r.params.wDot, r.params.betaDis, r.params.betaDot];
    expect(start.grad.every((g) => Math.abs(g) > 1e-6)).toBe(true);
    flat0.forEach((v, j) => expect(flat1[j]).toBeCloseTo(v - (0.1 * start.grad[j]) / (Math.abs(start.grad[j]) + 1e-8), 12));
    expect(r.finalLoss).toBeCloseTo(mean(r.params).loss, 12);
  });

  it('train() draws its pairs with seed + 1', () => {
    const o = { epochs: 2, pairs: 16, seed: 5, batchSize: 8 };
    const direct = trainOnPairs(memories, samplePairs(memories, variant, 16, createRng(6)), o);
    expect(train(memories, variant, o)).toEqual(direct);
  });

  it('the safeguard picks the epoch with the fewest held-out errors by the chosen selection, then the lowest held-out loss (recomputed with retrieve)', () => {
    let differ = 0;
    for (const seed of [0, 1, 2, 3, 4, 5]) {
      const prng = createRng(100 + seed);
      const mem = Array.from({ length: 5 }, () => Array.from({ length: 6 }, () => prng.uniform()));
      const ps = samplePairs(mem, noisy(0.3), 32, createRng(200 + seed));
      const o = { epochs: 6, batchSize: 8, lr: 0.1, seed, validationShare: 0.5 };
      const { validation } = holdOut(32, 0.5, seed);
      const thetas = [initialParams(6, { dis: 1, dot: 0 })];
      for (let e = 1; e <= 6; e++) thetas.push(trainOnPairs(mem, ps, { ...o, epochs: e, safeguard: 'none' }).params);
      const pick = (selection: 'argmax' | 'readout') => {
        const value = thetas.map((p) => {
          let errors = 0;
          let loss = 0;
          for (const i of validation) {
            const r = retrieve(mem, ps.queries[i], p);
            const answer = selection === 'argmax' ? r.source : nearestMemory(mem, r.retrieved);
            if (answer !== ps.targets[i]) errors++;
            loss -= Math.log(r.probs[ps.targets[i]]);
          }
          return [errors, loss / validation.length];
        });
        let best = 0;
        value.forEach((v, e) => {
          if (v[0] < value[best][0] || (v[0] === value[best][0] && v[1] < value[best][1])) best = e;
        });
        return best;
      };
      const [byArgmax, byReadout] = [pick('argmax'), pick('readout')];
      if (byArgmax !== byReadout) differ++;
      expect(trainOnPairs(mem, ps, o).bestEpoch).toBe(byArgmax);
      expect(trainOnPairs(mem, ps, { ...o, selection: 'argmax' }).bestEpoch).toBe(byArgmax);
      expect(trainOnPairs(mem, ps, { ...o, selection: 'readout' }).bestEpoch).toBe(byReadout);
    }
    // The two selections disagree on some instance, so each expectation above can tell them apart.
    expect(differ).toBeGreaterThan(0);
  });
});
