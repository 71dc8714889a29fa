/**
 * Claim: every method's probabilities are finite and sum to 1 for scores of magnitude ≥ 1e4.
 * (1) Each separation a method uses — softmax with β, hard max, polynomial, sparsemax, and the
 * Bayes posterior exp(log-softmax) — on score vectors with every |s_k| in [1e4, 1e300];
 * (2) every method of the registry, fitted on instances whose memories and queries have entries
 * of magnitude 1e4…1e5 (so dot products, distances and log-likelihoods are all ≥ 1e4 in size).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createInstance } from '../src/baselines/instance.ts';
import type { Method } from '../src/baselines/method.ts';
import { METHODS } from '../src/baselines/registry.ts';
import { hardMax, polynomialSeparation, softmaxSeparation } from '../src/baselines/separation.ts';
import { sparsemax } from '../src/baselines/sparsemax.ts';
import { readout } from '../src/hopfield/ahop.ts';
import { logSoftmax } from '../src/numeric/logsumexp.ts';
import { createRng } from '../src/random/rng.ts';
import { noisy } from '../src/variants/index.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type Separate = (s: readonly number[], beta: number, degree: number) => number[];

function onSimplex(p: readonly number[], n: number): boolean {
  return p.length === n && p.every((v) => Number.isFinite(v) && v >= 0) && Math.abs(p.reduce((a, b) => a + b, 0) - 1) <= 1e-12;
}

/** |s| = 10^e, e ∈ [4, 300], either sign. */
const largeScore = fc.tuple(fc.boolean(), fc.double({ min: 4, max: 300, noNaN: true })).map(([neg, e]) => (neg ? -1 : 1) * 10 ** e);
const largeScores = fc.array(largeScore, { minLength: 1, maxLength: 10 });

export const separationFinite = (separate: Separate) =>
  fc.property(
    largeScores,
    fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
    fc.integer({ min: 1, max: 50 }),
    (s, beta, degree) => onSimplex(separate(s, beta, degree), s.length),
  );

const SEPARATIONS: Record<string, Separate> = {
  softmax: (s, beta) => softmaxSeparation(s, beta),
  hardmax: (s) => hardMax(s),
  polynomial: (s, _beta, degree) => polynomialSeparation(s, degree),
  sparsemax: (s, beta) => sparsemax(s.map((v) => beta * v)),
  'bayes posterior': (s) => logSoftmax(s).map(Math.exp),
};

/** Softmax without the max shift: exp overflows to Infinity, and Infinity/Infinity is NaN. */
const naiveSoftmax: Separate = (s, beta) => {
  const e = s.map((v) => Math.exp(beta * v));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
};

/** Polynomial without dividing by the largest score first: s^n overflows. */
const naivePolynomial: Separate = (s, _beta, degree) => {
  const c = Math.min(0, ...s);
  const r = s.map((v) => (v - c) ** degree);
  const z = r.reduce((a, b) => a + b, 0);
  return r.map((v) => v / z);
};

describe('separations stay on the simplex for |scores| ≥ 1e4', () => {
  for (const [name, separate] of Object.entries(SEPARATIONS)) {
    it(`holds for ${name}`, () => expectHolds(separationFinite(separate), { numRuns: 300 }));
  }
  it('catches softmax without the max shift', () => expectCounterexample(separationFinite(naiveSoftmax)));
  it('catches polynomial powers taken before normalising', () => expectCounterexample(separationFinite(naivePolynomial)));
});

// ---------- every registered method on large-magnitude instances ----------

const largeInstance = fc
  .record({ n: fc.integer({ min: 2, max: 5 }), d: fc.integer({ min: 1, max: 4 }), seed: fc.nat({ max: 1e6 }) })
  .map(({ n, d, seed }) => {
    const rng = createRng(seed);
    const entry = () => (rng.uniform() < 0.5 ? -1 : 1) * (1e4 + 9e4 * rng.uniform());
    const memories = Array.from({ length: n }, () => Array.from({ length: d }, entry));
    const variant = noisy(new Array<number>(d).fill(3e4));
    return { instance: createInstance(memories, variant, 16, seed), queries: Array.from({ length: 4 }, () => variant.sample(memories[rng.int(n)], rng)) };
  });

export const methodsFinite = (methods: readonly Method[]) =>
  fc.property(largeInstance, ({ instance, queries }) =>
    methods.every((m) => {
      const retrieve = m.prepare(instance);
      return queries.every((q) => {
        const r = retrieve(q);
        return onSimplex(r.probs, instance.memories.length) && r.retrieved.every(Number.isFinite);
      });
    }),
  );

const budget = { epochs: 2 };
const registered = [...METHODS.values()].map((make) => make(budget));

/** An M-Hop whose softmax skips the max shift. */
const naiveMhop: Method = {
  name: 'naive-mhop',
  prepare: ({ memories }) => (query) => {
    const probs = naiveSoftmax(memories.map((m) => m.reduce((a, v, i) => a + v * query[i], 0)), 1 / Math.sqrt(query.length), 1);
    return { probs, retrieved: readout(memories, probs) };
  },
};

describe('every registered method is finite and normalised on large-magnitude instances', () => {
  it('holds for all methods of METHODS', () => expectHolds(methodsFinite(registered), { numRuns: 8 }));
  it('catches an M-Hop without the max shift', () => expectCounterexample(methodsFinite([naiveMhop]), { numRuns: 20 }));
});
