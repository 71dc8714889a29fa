/**
 * Numerical edge cases of retrieval, at the public entry points — retrieve, iterate,
 * lossAndGradient, posterior and streamRetrieve (properties/exact-arithmetic.test.ts checks the lse
 * and softmax kernels against 64-digit values). Claims:
 * - scores of magnitude 1e4 … 1e300, either sign: p is finite, in [0, 1], sums to 1 within 1e-12;
 *   lse never overflows: max s ≤ lse ≤ max s + log N, so the energy is finite; the readout stays in
 *   the memories' range (a convex combination);
 * - all-equal scores give p_k = 1/N exactly and lse = s + log N;
 * - a single memory gives p = [1], y = ξ exactly, E = −s, loss 0 and a zero gradient;
 * - duplicated memories get equal probabilities, and ties for the argmax go to the lowest index
 *   (the documented rule — docs/model.md), in retrieve (argmax of p), the Bayes posterior and
 *   streaming (argmax of s: it keeps no probabilities) alike;
 * - denormal and ±0 entries give finite outputs.
 * Each property is a function of the implementation, and a broken one is caught.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { posterior } from '../src/bayes/posterior.ts';
import { retrieve } from '../src/hopfield/ahop.ts';
import { iterate } from '../src/hopfield/dynamics.ts';
import { rowBlocks, streamRetrieve } from '../src/hopfield/stream.ts';
import { argmax, logSumExp, softmax } from '../src/numeric/logsumexp.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { lossAndGradient } from '../src/train/loss.ts';
import { masked, noisy } from '../src/variants/index.ts';
import { finite, params, vector } from './support/arbitraries.ts';
import { runs } from './support/fuzz.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

const RUNS = runs(200);
const EPS = Number.EPSILON;
/** What the edge-case properties read from a retrieval: probabilities where the method has them. */
interface Read {
  /** p over the memories (retrieve), or undefined (a stream keeps no B×N array). */
  probs?: number[];
  /** max_k s_k. */
  top: number;
  retrieved: number[];
  energy: number;
  source: number;
}
type Retriever = (memories: number[][], query: number[], params: AhopParams) => Read;

const viaRetrieve: Retriever = (memories, query, p) => {
  const r = retrieve(memories, query, p);
  return { probs: r.probs, top: Math.max(...r.scores), retrieved: r.retrieved, energy: r.energy, source: r.source };
};

/** Streaming retrieval in blocks of 2 memories, so ties and maxima span blocks. */
const viaStream: Retriever = (memories, query, p) => {
  const s = streamRetrieve(rowBlocks(memories, 2), query.length, Float64Array.from(query), 1, p);
  return { top: s.maxScore[0], retrieved: Array.from(s.retrieved), energy: s.energy[0], source: s.source[0] };
};

/**
 * d = 1, distance only: s_k = −scale·(ξ_k − x)² (or +scale·… with a negative β), so |s| reaches
 * 4·scale for memories and query in [−1, 1]; scale runs over 1e4 … 2.5e299.
 */
const hugeScores = fc
  .record({
    n: fc.integer({ min: 1, max: 40 }),
    exponent: fc.integer({ min: 4, max: 299 }),
    sign: fc.constantFrom(1, -1),
  })
  .chain(({ n, exponent, sign }) =>
    fc.record({
      memories: fc.array(vector(1, finite(1)), { minLength: n, maxLength: n }),
      query: vector(1, finite(1)),
      params: fc.constant<AhopParams>({ wDis: [1], wDot: [0], betaDis: sign * 10 ** exponent * 0.25, betaDot: 0 }),
    }),
  );

const sumsToOne = (p: readonly number[]) => Math.abs(p.reduce((a, b) => a + b, 0) - 1) <= 1e-12;

const stableAtAnyMagnitude = (ret: Retriever) =>
  fc.property(hugeScores, ({ memories, query, params: p }) => {
    const r = ret(memories, query, p);
    const lse = -r.energy;
    const lo = Math.min(...memories.map((m) => m[0]));
    const hi = Math.max(...memories.map((m) => m[0]));
    const slack = 4 * EPS * Math.max(Math.abs(lo), Math.abs(hi));
    return (
      (r.probs === undefined || (r.probs.every((v) => Number.isFinite(v) && v >= 0 && v <= 1) && sumsToOne(r.probs))) &&
      Number.isFinite(r.energy) &&
      lse >= r.top &&
      lse <= r.top + Math.log(memories.length) * (1 + 4 * EPS) + 4 * EPS * Math.abs(r.top) &&
      r.retrieved[0] >= lo - slack &&
      r.retrieved[0] <= hi + slack
    );
  });

describe('scores of magnitude 1e4 … 1e300', () => {
  it('retrieve: p in [0, 1] sums to 1 within 1e-12; max s ≤ lse ≤ max s + log N; y in the memories’ range', () =>
    expectHolds(stableAtAnyMagnitude(viaRetrieve), { numRuns: RUNS }));
  it('streamRetrieve: the same', () => expectHolds(stableAtAnyMagnitude(viaStream), { numRuns: RUNS / 2 }));
  it('… and a retrieve whose softmax skips the max shift is caught (exp overflows to NaN)', () =>
    expectCounterexample(
      stableAtAnyMagnitude((m, q, p) => {
        const r = retrieve(m, q, p);
        const e = r.scores.map(Math.exp);
        const z = e.reduce((a, b) => a + b, 0);
        return { ...viaRetrieve(m, q, p), probs: e.map((v) => v / z), energy: -Math.log(z) };
      }),
    ));
  it('softmax over N up to 1000 scores of any magnitude sums to 1 within 1e-12, and lse is finite', () =>
    expectHolds(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 300 })).chain(([n, e]) => vector(n, finite(10 ** e))),
        (s) => sumsToOne(softmax(s)) && Number.isFinite(logSumExp(s)) && logSumExp(s) >= Math.max(...s),
      ),
      { numRuns: RUNS / 2 },
    ));
  it('iterate and lossAndGradient stay finite at score gaps up to 1e300', () =>
    expectHolds(
      fc.property(hugeScores, fc.nat(), ({ memories, query, params: p }, t) => {
        const traj = iterate(memories, query, p, 3);
        const g = lossAndGradient(memories, query, t % memories.length, p);
        return traj.energies.every(Number.isFinite) && traj.states.flat().every(Number.isFinite) && Number.isFinite(g.loss) && g.loss >= 0;
      }),
      { numRuns: RUNS / 2 },
    ));
});

describe('all-equal scores, a single memory', () => {
  const copies = fc.record({ n: fc.integer({ min: 1, max: 64 }), memory: vector(3), query: vector(3), params: params(3) });
  it('N copies of one memory: p_k = 1/N exactly, y = ξ, lse = s + log N, source 0', () =>
    expectHolds(
      fc.property(copies, ({ n, memory, query, params: p }) => {
        const r = retrieve(Array(n).fill(memory), query, p);
        const s = r.scores[0];
        return (
          r.probs.every((v) => v === 1 / n) &&
          r.source === 0 &&
          Math.abs(-r.energy - (s + Math.log(n))) <= 4 * EPS * (Math.abs(s) + Math.log(n) + 1) &&
          // Relative rounding, or a few units of the denormal spacing 2^-1074 near zero.
          r.retrieved.every((v, i) => Math.abs(v - memory[i]) <= 2 * n * (EPS * Math.abs(memory[i]) + 5e-324))
        );
      }),
      { numRuns: RUNS },
    ));
  it('a single memory: p = [1], y = ξ exactly, E = −s, loss 0 and a zero gradient', () =>
    expectHolds(
      fc.property(vector(4), vector(4), params(4), (memory, query, p) => {
        const r = retrieve([memory], query, p);
        const g = lossAndGradient([memory], query, 0, p);
        return (
          r.probs[0] === 1 &&
          r.retrieved.every((v, i) => v === memory[i]) &&
          r.energy === -r.scores[0] &&
          g.loss === 0 &&
          [...g.grad.wDis, ...g.grad.wDot, g.grad.betaDis, g.grad.betaDot].every((v) => v === 0)
        );
      }),
      { numRuns: RUNS },
    ));
});

describe('duplicated memories and ties: the lowest index wins', () => {
  /** Memories with one of them repeated at a later index; queries sometimes equal to that memory. */
  const withDuplicate = fc
    .record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 4 }) })
    .chain(({ n, d }) =>
      fc.record({
        memories: fc.array(vector(d, fc.constantFrom(-1, 0, 0.5, 1)), { minLength: n, maxLength: n }),
        query: vector(d, fc.constantFrom(-1, 0, 0.5, 1)),
        params: params(d, 2),
        from: fc.nat(),
        to: fc.nat(),
      }),
    )
    .map(({ memories, query, params: p, from, to }) => {
      const m = [...memories];
      const i = from % m.length;
      m.splice(i + 1 + (to % (m.length - i)), 0, m[i]);
      return { memories: m, query, params: p };
    });

  const sameRow = (a: number[], b: number[]) => a.every((v, i) => v === b[i]);
  /** The source is never a later copy of an earlier memory, and (where p is kept) equal rows get equal p and the source is the first largest p. */
  const lowestIndexWins = (ret: Retriever) =>
    fc.property(withDuplicate, ({ memories, query, params: p }) => {
      const r = ret(memories, query, p);
      const notALaterCopy = memories.findIndex((m) => sameRow(m, memories[r.source])) === r.source;
      if (r.probs === undefined) return notALaterCopy;
      const probs = r.probs;
      const equalRowsEqualProbs = memories.every((m, k) => memories.every((m2, j) => !sameRow(m, m2) || probs[k] === probs[j]));
      return notALaterCopy && equalRowsEqualProbs && r.source === probs.indexOf(Math.max(...probs));
    });

  it('retrieve: equal memories get equal probabilities; source = the first index of the largest p', () =>
    expectHolds(lowestIndexWins(viaRetrieve), { numRuns: RUNS }));
  it('streamRetrieve (blocks of 2, so ties span blocks): the source is the first of equal memories', () =>
    expectHolds(lowestIndexWins(viaStream), { numRuns: RUNS / 2 }));
  it('… and an argmax that gives ties to the highest index is caught', () =>
    expectCounterexample(
      lowestIndexWins((m, q, p) => {
        const r = viaRetrieve(m, q, p);
        let best = 0;
        r.probs!.forEach((v, k) => (v >= r.probs![best] ? (best = k) : 0));
        return { ...r, source: best };
      }),
    ));
  it('the Bayes posterior: duplicated memories get equal log-posteriors, and argmax is the first of them', () =>
    expectHolds(
      fc.property(withDuplicate, fc.boolean(), ({ memories, query }, isMasked) => {
        const v = isMasked ? masked(0.3, 0.5, -1, 1) : noisy(Array(query.length).fill(0.7));
        const r = posterior(v, memories, query);
        const top = Math.max(...r.logPosterior);
        return r.argmax === r.logPosterior.indexOf(top) && r.argmax === argmax(r.logPosterior);
      }),
      { numRuns: RUNS },
    ));
  it('argmax of a vector with ties returns the first maximal index', () =>
    expectHolds(
      fc.property(fc.array(fc.constantFrom<number>(-1, 0, 1, 2), { minLength: 1, maxLength: 20 }), (v) => argmax(v) === v.indexOf(Math.max(...v))),
      { numRuns: RUNS },
    ));
});

describe('denormals and signed zeros', () => {
  const tiny = fc.constantFrom(0, -0, 5e-324, -5e-324, 1e-310, -2.2e-308, 2.2250738585072014e-308);
  it('retrieve, lossAndGradient and posterior give finite outputs; p sums to 1', () =>
    expectHolds(
      fc.property(
        fc.record({ n: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 1, max: 4 }) }).chain(({ n, d }) =>
          fc.record({
            memories: fc.array(vector(d, tiny), { minLength: n, maxLength: n }),
            query: vector(d, tiny),
            params: fc.oneof(params(d), fc.record({ wDis: vector(d, tiny), wDot: vector(d, tiny), betaDis: tiny, betaDot: tiny })),
          }),
        ),
        ({ memories, query, params: p }) => {
          const r = retrieve(memories, query, p);
          const g = lossAndGradient(memories, query, 0, p);
          const b = posterior(noisy(Array(query.length).fill(1e-3)), memories, query);
          const all = [...r.scores, ...r.probs, ...r.retrieved, r.energy, g.loss, ...g.grad.wDis, ...g.grad.wDot, ...b.logPosterior];
          return all.every(Number.isFinite) && sumsToOne(r.probs);
        },
      ),
      { numRuns: RUNS },
    ));
  it('scores that are all denormal or zero give p = 1/N (no division by a denormal sum)', () => {
    const r = retrieve([[5e-324], [0], [-5e-324]], [0], { wDis: [0], wDot: [1], betaDis: 0, betaDot: 1 });
    expect(r.probs).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });
});
