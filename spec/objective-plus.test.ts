import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../src/errors.ts';
import { ahopPlusScores, identityAhopPlusParams, type AhopPlusParams } from '../src/similarity/adaptive-plus.ts';
import type { FootprintOptions } from '../src/similarity/footprint.ts';
import {
  ahopPlusBatchObjective,
  ahopPlusLayout,
  ahopPlusLossAndGradient,
  packAhopPlus,
  unpackAhopPlus,
} from '../src/train/objective-plus.ts';

const UNSORTED = { sort: false, cumulative: true } as const;

/** −log softmax(s)_t from the readable scores (a second formulation of the loss the objective differentiates). */
function readableLoss(memories: number[][], x: number[], t: number, p: AhopPlusParams, options: FootprintOptions = UNSORTED): number {
  const s = ahopPlusScores(memories, x, p, options);
  const m = Math.max(...s);
  return m + Math.log(s.reduce((a, v) => a + Math.exp(v - m), 0)) - s[t];
}

/** A point with every group active: unequal weights, an open soft gate, a link on in every dimension. */
const P: AhopPlusParams = {
  offset: [0.1, -0.2, 0.05],
  logScale: [0.2, -0.1, 0.3],
  linkWeight: [0.4, 0.8, 0.2],
  gateLow: -1,
  gateHigh: 1.5,
  gateWidth: 0.2,
  wDis: [0.5, -0.3, 1.2],
  wDot: [0.2, 0.7, -0.4],
  betaDis: 1.3,
  betaDot: 0.6,
};
const MEMORIES = [
  [0.3, -0.8, 1.1],
  [-0.5, 0.4, 0.2],
  [1.0, 0.9, -0.7],
];
const X = [0.6, -0.1, 0.4];

describe('the A-Hop+ gradient without the sort', () => {
  it('with sort off, ∂L/∂params matches central differences of the readable loss in every field', () => {
    const { loss, grad } = ahopPlusLossAndGradient(MEMORIES, X, 1, P, UNSORTED);
    expect(loss).toBeCloseTo(readableLoss(MEMORIES, X, 1, P), 13);
    const fields = ['offset', 'logScale', 'linkWeight', 'wDis', 'wDot'] as const;
    for (const f of fields) {
      P[f].forEach((v, i) => {
        const h = 1e-6;
        const at = (e: number) => readableLoss(MEMORIES, X, 1, { ...P, [f]: P[f].map((w, j) => (j === i ? w + e : w)) });
        const fd = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs(grad[f][i] - fd), `${f}[${i}]`).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
      });
    }
  });
});

describe('the A-Hop+ objective refuses what float64 cannot hold', () => {
  // β_dis = 5·10³⁰⁷: the scores (0 and −1.125·10³⁰⁸) and the loss are finite, ∂L/∂ℓ is not.
  const huge = identityAhopPlusParams({ wDis: [1], wDot: [0], betaDis: 5e307, betaDot: 0 });
  it('a finite loss with a gradient that overflows is a DomainError, not an infinite gradient', () => {
    expect(readableLoss([[0], [1.5]], [0], 1, huge, { sort: true, cumulative: true })).toBeCloseTo(1.125e308, -300);
    expect(() => ahopPlusLossAndGradient([[0], [1.5]], [0], 1, huge)).toThrow(DomainError);
    expect(() => ahopPlusLossAndGradient([[0], [1.5]], [0], 1, huge)).toThrow(/overflows float64/);
  });
  it('the batch objective refuses the same overflow', () => {
    const L = ahopPlusLayout(huge, ['logScale', 'betaDis']);
    expect(() => ahopPlusBatchObjective(packAhopPlus(huge, L), [[0], [1.5]], { queries: [[0]], targets: [1] }, L)).toThrow(/batch loss or its gradient overflows/);
  });
});

describe('the flat parameter vector θ at its boundary', () => {
  const t = { ...P };
  it('a layout refuses an unknown group and a gate trained from τ = 0, naming them', () => {
    expect(() => ahopPlusLayout(t, ['offset', 'bias' as never])).toThrow(/free\[1\] must be one of offset, logScale/);
    expect(() => ahopPlusLayout({ ...t, gateWidth: 0 }, ['gate'])).toThrow(/template.gateWidth must be > 0/);
    expect(() => ahopPlusLayout({ ...t, gateWidth: 0 }, ['offset'])).not.toThrow();
  });
  it('packing refuses params whose λ is 0 in a free link group, naming θ\'s entry', () => {
    const L = ahopPlusLayout(t, ['link']);
    expect(() => packAhopPlus({ ...t, linkWeight: [0, 1, 1] }, L)).toThrow(/entry 0 of θ is -Infinity/);
    expect(() => packAhopPlus({ ...t, linkWeight: [1, 0, 1] }, L)).toThrow(/entry 1 of θ/);
  });
  it('unpacking refuses θ of the wrong length', () => {
    const L = ahopPlusLayout(t);
    expect(() => unpackAhopPlus(new Float64Array(L.size - 1), L)).toThrow(ShapeError);
    expect(() => unpackAhopPlus(new Float64Array(L.size + 1), L)).toThrow(/theta has length 21 but the layout needs 20/);
  });
  it('unpack(pack(q)) = q in every field when every group is free, whatever the template holds', () => {
    const L = ahopPlusLayout(t);
    const shift = (v: number[]) => v.map((w) => 2 * w + 0.25);
    const q: AhopPlusParams = {
      offset: shift(t.offset),
      logScale: shift(t.logScale),
      linkWeight: shift(t.linkWeight),
      gateLow: -2,
      gateHigh: 0.5,
      gateWidth: 0.05,
      wDis: shift(t.wDis),
      wDot: shift(t.wDot),
      betaDis: 0.7,
      betaDot: -0.4,
    };
    const back = unpackAhopPlus(packAhopPlus(q, L), L);
    for (const f of ['offset', 'logScale', 'linkWeight', 'wDis', 'wDot'] as const) back[f].forEach((v, i) => expect(v, `${f}[${i}]`).toBeCloseTo(q[f][i], 14));
    for (const f of ['gateLow', 'gateHigh', 'gateWidth', 'betaDis', 'betaDot'] as const) expect(back[f], f).toBeCloseTo(q[f], 14);
  });
  it('the batch objective refuses an empty batch and targets of another length', () => {
    const L = ahopPlusLayout(t);
    const theta = packAhopPlus(t, L);
    expect(() => ahopPlusBatchObjective(theta, MEMORIES, { queries: [], targets: [] }, L)).toThrow(/B > 0 queries and B targets, got 0 and 0/);
    expect(() => ahopPlusBatchObjective(theta, MEMORIES, { queries: [X], targets: [0, 1] }, L)).toThrow(ShapeError);
    expect(() => ahopPlusBatchObjective(theta, MEMORIES, { queries: [X, X], targets: [0] }, L)).toThrow(/got 2 and 1/);
  });
});
