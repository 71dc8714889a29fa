/**
 * The class cross-entropy of a memory classifier (src/train/cross-entropy.ts, classCrossEntropy):
 * L = −log Σ_{k: c_k = t} softmax(s)_k and g = ∂L/∂s = p − 1[c = t] p / P_t, judged by the naive
 * sum of exponentials and its central finite differences; with every memory its own class it is the
 * softmax cross-entropy. And U2-Hop trained as a memory classifier: its class-loss gradient (this g
 * through U2-Hop's own ∂s/∂W) equals finite differences of the class loss written from u2Probs.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { applyMap, u2ClassLossMapped, u2Probs, u2ScoreVjp, kernelScores, type U2Model } from '../src/baselines/u2hop.ts';
import { classCrossEntropy, crossEntropy, type CrossEntropy } from '../src/train/cross-entropy.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

const H = 1e-5;

/** Scores, labels in {0, 1, 2} with the target class present, some scores −∞ (left-out memories). */
const problem = fc
  .array(fc.record({ s: fc.double({ min: -30, max: 30, noNaN: true }), c: fc.nat({ max: 2 }), out: fc.boolean() }), { minLength: 2, maxLength: 8 })
  .chain((rows) => fc.record({ rows: fc.constant(rows), t: fc.nat({ max: rows.length - 1 }) }))
  .map(({ rows, t }) => ({
    // Memory t is never left out, so the target class has a memory.
    s: rows.map((r, k) => (r.out && k !== t ? -Infinity : r.s)),
    labels: rows.map((r) => r.c),
    target: rows[t].c,
  }));

const naiveLoss = (s: readonly number[], labels: readonly number[], t: number): number => {
  const e = s.map(Math.exp);
  return -Math.log(e.reduce((a, v, k) => a + (labels[k] === t ? v : 0), 0) / e.reduce((a, v) => a + v, 0));
};

const matchesNaive = (ce: (s: readonly number[], labels: readonly number[], t: number) => CrossEntropy) =>
  fc.property(problem, ({ s, labels, target }) => {
    const r = ce(s, labels, target);
    if (Math.abs(r.loss - naiveLoss(s, labels, target)) > 1e-9 * Math.max(1, Math.abs(r.loss))) return false;
    return s.every((v, k) => {
      if (v === -Infinity) return r.g[k] === 0;
      const up = s.map((u, j) => (j === k ? u + H : u));
      const down = s.map((u, j) => (j === k ? u - H : u));
      return Math.abs(r.g[k] - (naiveLoss(up, labels, target) - naiveLoss(down, labels, target)) / (2 * H)) < 1e-6;
    });
  });

describe('class cross-entropy', () => {
  it('L = −log Σ_{c_k = t} softmax(s)_k and g = ∂L/∂s (finite differences of the naive loss; left-out memories get g = 0)', () =>
    expectHolds(matchesNaive(classCrossEntropy), { numRuns: 300 }));

  it('… and a gradient without the 1/P_t (g = p − 1[c = t] p) is caught', () =>
    expectCounterexample(
      matchesNaive((s, labels, t) => {
        const r = classCrossEntropy(s, labels, t);
        const p = crossEntropy(s, 0).g.map((v, k) => (k === 0 ? v + 1 : v));
        return { loss: r.loss, g: p.map((pk, k) => (labels[k] === t ? pk - pk : pk)) };
      }),
    ));

  it('with every memory its own class it is the softmax cross-entropy', () =>
    expectHolds(
      fc.property(problem, ({ s }) => {
        const finite = s.map((v) => (v === -Infinity ? 0 : v));
        const t = finite.length - 1;
        const own = classCrossEntropy(finite, finite.map((_, k) => k), t);
        const ce = crossEntropy(finite, t);
        return Math.abs(own.loss - ce.loss) < 1e-12 && own.g.every((v, k) => Math.abs(v - ce.g[k]) < 1e-12);
      }),
      { numRuns: 100 },
    ));
});

/** A U2-Hop memory classifier: memories, labels, one query with a class, W near the identity. */
const u2Problem = fc
  .record({
    d: fc.integer({ min: 1, max: 3 }),
    n: fc.integer({ min: 2, max: 5 }),
    seedValues: fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 40, maxLength: 40 }),
    labels: fc.array(fc.nat({ max: 1 }), { minLength: 5, maxLength: 5 }),
    self: fc.boolean(),
  })
  .map(({ d, n, seedValues, labels, self }) => {
    let at = 0;
    const next = () => seedValues[at++ % seedValues.length];
    const memories = Array.from({ length: n }, () => Array.from({ length: d }, next));
    const w = Float64Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0) + 0.3 * next());
    const lab = labels.slice(0, n);
    // With a left-out memory the query is memory 0 itself; the target class keeps another memory.
    const x = self ? memories[0] : Array.from({ length: d }, next);
    const target = lab[n - 1];
    return { memories, labels: lab, x, target, self: self && n > 1 ? 0 : -1, model: { d, w, beta: 0.8 } as U2Model };
  });

/** The class loss written from U2-Hop's own probabilities: −log Σ_{c_k = t, k ≠ self} p_k with the self memory removed. */
const u2NaiveLoss = (memories: number[][], labels: number[], x: number[], t: number, self: number, model: U2Model): number => {
  const keep = memories.map((_, k) => k).filter((k) => k !== self);
  const p = u2Probs(keep.map((k) => memories[k]), x, model);
  return -Math.log(keep.reduce((a, k, j) => a + (labels[k] === t ? p[j] : 0), 0));
};

const u2MatchesFd = (gradOf: (memories: number[][], labels: number[], x: number[], t: number, self: number, model: U2Model) => Float64Array) =>
  fc.property(u2Problem, ({ memories, labels, x, target, self, model }) => {
    const g = gradOf(memories, labels, x, target, self, model);
    return Array.from(model.w).every((_, i) => {
      const up = Float64Array.from(model.w);
      const down = Float64Array.from(model.w);
      up[i] += H;
      down[i] -= H;
      const fd = (u2NaiveLoss(memories, labels, x, target, self, { ...model, w: up }) - u2NaiveLoss(memories, labels, x, target, self, { ...model, w: down })) / (2 * H);
      return Math.abs(g[i] - fd) < 1e-5 * Math.max(1, Math.abs(fd));
    });
  });

const u2ClassGrad = (memories: number[][], labels: number[], x: number[], t: number, self: number, model: U2Model): Float64Array => {
  const acc = new Float64Array(model.d * model.d);
  const mapped = memories.map((m) => applyMap(model.w, model.d, m));
  u2ClassLossMapped(memories, mapped, labels, { queries: [x], labels: [t], self: [self] }, 0, model, acc);
  return acc;
};

describe('U2-Hop as a memory classifier', () => {
  it('its class-loss gradient ∂L/∂W equals finite differences of −log Σ_{c_k = t} p_k (own memory left out)', () =>
    expectHolds(u2MatchesFd(u2ClassGrad), { numRuns: 150 }));

  it('… and the retrieval gradient to one same-class memory (the former stand-in) is caught', () =>
    expectCounterexample(
      u2MatchesFd((memories, labels, x, t, self, model) => {
        const acc = new Float64Array(model.d * model.d);
        const mapped = memories.map((m) => applyMap(model.w, model.d, m));
        const u = applyMap(model.w, model.d, x);
        const s = kernelScores(mapped, u).map((v) => model.beta * v);
        if (self >= 0) s[self] = -Infinity;
        const source = labels.findIndex((c, k) => c === t && k !== self);
        u2ScoreVjp(memories, mapped, x, u, crossEntropy(s, source).g, model, acc);
        return acc;
      }),
    ));
});
