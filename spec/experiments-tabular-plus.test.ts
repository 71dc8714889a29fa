/**
 * The A-Hop+ memory classifier (tabular protocol version 7): its class-loss gradient equals finite
 * differences of the class loss computed from the readable scores; with every memory its own class
 * it is the retrieval objective; a query's own memory is left out; at A-Hop's start it answers as
 * the A-Hop head; training lowers the class loss and can weigh a telling dimension above a noisy one.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/random/rng.ts';
import { ahopPlusScores, identityAhopPlusParams, type AhopPlusParams } from '../src/similarity/adaptive-plus.ts';
import { ahopPlusLayout, ahopPlusLossAndGradient, ahopPlusRows, packAhopPlus, packGradient, unpackAhopPlus } from '../src/train/objective-plus.ts';
import { plusClassLossGrad, plusHeadAnswers, trainClassHeadPlus, withDotRows } from '../src/experiments/tabular/memory-classifier-plus.ts';
import { FULL_FOOTPRINT } from '../src/similarity/footprint.ts';
import { sortedRows } from '../src/train/features.ts';
import { scoresFromRows } from '../src/train/objective.ts';
import type { Labelled, LabelledMemory } from '../src/experiments/tabular/memory-classifier.ts';
import { ahopStart, layerHeadAnswers, TABULAR_PLUS_GROUPS } from '../src/experiments/tabular/run.ts';

/** −log Σ_{k ∈ t} softmax(s)_k over the memories other than `self`, summed directly (no log-sum-exp helper, no VJP). */
function readableClassLoss(mem: LabelledMemory, x: readonly number[], t: number, p: AhopPlusParams, self = -1): number {
  const s = ahopPlusScores(mem.memories, x, p);
  const m = Math.max(...s.filter((_, k) => k !== self));
  let all = 0;
  let cls = 0;
  s.forEach((v, k) => {
    if (k === self) return;
    const e = Math.exp(v - m);
    all += e;
    if (mem.labels[k] === t) cls += e;
  });
  return -Math.log(cls / all);
}

function problem(seed: number, n = 7, d = 4): { mem: LabelledMemory; x: number[]; p: AhopPlusParams } {
  const rng = createRng(seed);
  const memories = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  const labels = memories.map((_, k) => k % 2);
  const base = identityAhopPlusParams({ wDis: Array.from({ length: d }, () => 0.2 + rng.uniform()), wDot: Array.from({ length: d }, () => rng.uniform()), betaDis: 0.7, betaDot: 0.3 });
  const p = { ...base, offset: base.offset.map(() => 0.3 * rng.normal()), logScale: base.logScale.map(() => 0.3 * rng.normal()) };
  return { mem: { memories, labels, classes: 2 }, x: Array.from({ length: d }, () => rng.normal()), p };
}

describe('the A-Hop+ memory classifier', () => {
  it('its class-loss gradient equals central finite differences of the readable class loss', () => {
    for (const seed of [1, 2, 3]) {
      const { mem, x, p } = problem(seed);
      const layout = ahopPlusLayout(p, TABULAR_PLUS_GROUPS);
      const data: Labelled = { queries: [x], labels: [1] };
      const { loss, grad } = plusClassLossGrad(mem, data, 0, p, layout);
      expect(loss).toBeCloseTo(readableClassLoss(mem, x, 1, p), 12);
      const theta = packAhopPlus(p, layout);
      const h = 1e-6;
      theta.forEach((_, j) => {
        const at = (v: number) => {
          const t = Float64Array.from(theta);
          t[j] = v;
          return readableClassLoss(mem, x, 1, unpackAhopPlus(t, layout));
        };
        const fd = (at(theta[j] + h) - at(theta[j] - h)) / (2 * h);
        expect(Math.abs(grad[j] - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      });
    }
  });

  it('… and a gradient of the retrieval loss (target: the first memory of the class) is caught', () => {
    const { mem, x, p } = problem(1);
    const layout = ahopPlusLayout(p, TABULAR_PLUS_GROUPS);
    const wrong = packGradient(ahopPlusLossAndGradient(mem.memories, x, mem.labels.indexOf(1), p).grad, p, layout);
    const right = plusClassLossGrad(mem, { queries: [x], labels: [1] }, 0, p, layout).grad;
    expect(Math.max(...wrong.map((g, j) => Math.abs(g - right[j])))).toBeGreaterThan(1e-3);
  });

  it('with every memory its own class, its loss and gradient are the retrieval objective\'s', () => {
    const { mem, x, p } = problem(4);
    const own = { ...mem, labels: mem.memories.map((_, k) => k), classes: mem.memories.length };
    const layout = ahopPlusLayout(p, TABULAR_PLUS_GROUPS);
    const r = plusClassLossGrad(own, { queries: [x], labels: [3] }, 0, p, layout);
    const ref = ahopPlusLossAndGradient(mem.memories, x, 3, p);
    expect(r.loss).toBeCloseTo(ref.loss, 13);
    packGradient(ref.grad, p, layout).forEach((g, j) => expect(r.grad[j]).toBeCloseTo(g, 12));
  });

  it('the rows form (transformed rows, precomputed dot rows) scores and differentiates as the readable A-Hop+ scores', () => {
    for (const seed of [8, 9]) {
      const { mem, x, p } = problem(seed, 9, 6);
      const { rows } = ahopPlusRows(mem.memories, x, p, FULL_FOOTPRINT);
      const viaRows = scoresFromRows(rows, 9, p, true).s;
      ahopPlusScores(mem.memories, x, p).forEach((v, k) => expect(viaRows[k]).toBeCloseTo(v, 12));
      const layout = ahopPlusLayout(p, TABULAR_PLUS_GROUPS);
      const data = { queries: [x], labels: [0] };
      const plain = plusClassLossGrad(mem, data, 0, p, layout);
      const cached = plusClassLossGrad(mem, withDotRows(mem, data), 0, p, layout);
      expect(cached.loss).toBe(plain.loss);
      expect(cached.grad).toEqual(plain.grad);
    }
  });

  it('a query that is a stored memory scores without that memory', () => {
    const { mem, p } = problem(5);
    const layout = ahopPlusLayout(p, TABULAR_PLUS_GROUPS);
    const k = 2;
    const { loss } = plusClassLossGrad(mem, { queries: [mem.memories[k]], labels: [mem.labels[k]], self: [k] }, 0, p, layout);
    expect(loss).toBeCloseTo(readableClassLoss(mem, mem.memories[k], mem.labels[k], p, k), 12);
  });

  it('… and a query that reads its own memory (none left out) is caught', () => {
    const { mem, p } = problem(5);
    const layout = ahopPlusLayout(p, TABULAR_PLUS_GROUPS);
    const k = 2;
    const { loss } = plusClassLossGrad(mem, { queries: [mem.memories[k]], labels: [mem.labels[k]] }, 0, p, layout);
    expect(Math.abs(loss - readableClassLoss(mem, mem.memories[k], mem.labels[k], p, k))).toBeGreaterThan(1e-3);
  });

  it('training with the dot rows passed in (from the A-Hop problem\'s sorted rows) is training that sorts them itself', () => {
    const { mem } = problem(10, 12, 4);
    const train: Labelled = { queries: mem.memories, labels: mem.labels, self: mem.memories.map((_, k) => k) };
    const start = identityAhopPlusParams(ahopStart(4));
    const layout = ahopPlusLayout(start, TABULAR_PLUS_GROUPS);
    const o = { epochs: 3, lr: 0.1, batchSize: 4, seed: 2 };
    const passed = { ...train, dotRows: train.queries.map((x) => sortedRows(mem.memories, x).dot) };
    expect(trainClassHeadPlus(mem, passed, undefined, start, layout, o)).toEqual(trainClassHeadPlus(mem, train, undefined, start, layout, o));
  });

  it('at A-Hop\'s start it answers as the A-Hop head', () => {
    const { mem } = problem(6, 30, 5);
    const rng = createRng(60);
    const queries = Array.from({ length: 40 }, () => Array.from({ length: 5 }, () => rng.normal()));
    expect(plusHeadAnswers(mem, queries, identityAhopPlusParams(ahopStart(5)))).toEqual(layerHeadAnswers(mem, queries, ahopStart(5)));
  });

  it('training lowers the class loss and scales a noisy dimension below a telling one', () => {
    const rng = createRng(7);
    // Dimension 0 is the class (±1 plus a little noise); dimension 1 is noise three times larger.
    const memories = Array.from({ length: 40 }, (_, k) => [(k % 2 === 0 ? -1 : 1) + 0.3 * rng.normal(), 3 * rng.normal()]);
    const mem = { memories, labels: memories.map((_, k) => k % 2), classes: 2 };
    const train: Labelled = { queries: memories, labels: mem.labels, self: memories.map((_, k) => k) };
    const start = identityAhopPlusParams(ahopStart(2));
    const layout = ahopPlusLayout(start, TABULAR_PLUS_GROUPS);
    const meanLoss = (p: AhopPlusParams) => memories.reduce((a, x, k) => a + readableClassLoss(mem, x, mem.labels[k], p, k), 0) / memories.length;
    const traced: AhopPlusParams[] = [];
    const { params } = trainClassHeadPlus(mem, train, undefined, start, layout, { epochs: 20, lr: 0.1, batchSize: 8, seed: 0, onEpoch: (_, p) => traced.push(p) });
    // onEpoch sees every epoch's parameters; the best iterate is one of them (or the start).
    expect(traced).toHaveLength(20);
    expect([start, ...traced]).toContainEqual(params);
    expect(meanLoss(params)).toBeLessThan(meanLoss(start));
    // A larger ℓ_i divides dimension i's residual by a larger scale: it counts less.
    expect(params.logScale[1] - params.logScale[0]).toBeGreaterThan(0.5);
    // The frozen link stays off.
    expect(params.linkWeight).toEqual([0, 0]);
  });
});
