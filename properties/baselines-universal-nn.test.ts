/**
 * Claim: Universal Hopfield with hard-max separation and a (negative or reciprocal) distance
 * similarity is nearest-neighbour retrieval: with a unique nearest memory ξ_nn (by that distance),
 * p = e_nn and y = ξ_nn exactly. Distances in the reference check are computed independently
 * (sum of squares, sum of absolute values) on inputs where they are exact.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Retrieval } from '../src/baselines/method.ts';
import { hardMax } from '../src/baselines/separation.ts';
import { universalSimilarity, type UniversalSimilarity } from '../src/baselines/similarities.ts';
import { universalRetrieve } from '../src/baselines/universal.ts';
import { readout } from '../src/hopfield/ahop.ts';
import { tiedEntry, vector } from './support/arbitraries.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type DistanceSimilarity = Extract<UniversalSimilarity, 'neg-euclidean' | 'neg-manhattan' | 'inv-euclidean' | 'inv-manhattan'>;
type Impl = (memories: number[][], query: number[], similarity: DistanceSimilarity) => Retrieval;

const SIMS: readonly DistanceSimilarity[] = ['neg-euclidean', 'neg-manhattan', 'inv-euclidean', 'inv-manhattan'];

// Integers and halves: squared and absolute differences sum exactly, so the reference is exact.
const entry = fc.oneof(tiedEntry, fc.integer({ min: -20, max: 20 }).map((v) => v / 2));

const problem = fc
  .record({ n: fc.integer({ min: 1, max: 7 }), d: fc.integer({ min: 1, max: 6 }) })
  .chain(({ n, d }) =>
    fc.record({
      memories: fc.array(vector(d, entry), { minLength: n, maxLength: n }),
      query: vector(d, entry),
      similarity: fc.constantFrom(...SIMS),
    }),
  );

function distances(memories: number[][], x: number[], similarity: DistanceSimilarity): number[] {
  const euclid = similarity.endsWith('euclidean');
  return memories.map((m) => m.reduce((a, v, i) => a + (euclid ? (v - x[i]) ** 2 : Math.abs(v - x[i])), 0));
}

export const nearestNeighbour = (impl: Impl) =>
  fc.property(problem, ({ memories, query, similarity }) => {
    const dist = distances(memories, query, similarity);
    const best = Math.min(...dist);
    const nearest = dist.flatMap((v, k) => (v === best ? [k] : []));
    fc.pre(nearest.length === 1);
    const nn = nearest[0];
    const r = impl(memories, query, similarity);
    return r.probs.every((p, k) => p === (k === nn ? 1 : 0)) && r.retrieved.every((v, i) => v === memories[nn][i]);
  });

const reference: Impl = (memories, query, similarity) => universalRetrieve(memories, query, { similarity, separation: 'hardmax' });

/** Hard max over the dot product, whatever similarity was asked for. */
const dotInstead: Impl = (memories, query) => universalRetrieve(memories, query, { similarity: 'dot', separation: 'hardmax' });

/** A hard "max" that picks the smallest similarity (the farthest memory). */
const hardMin: Impl = (memories, query, similarity) => {
  const p = hardMax(memories.map((m) => -universalSimilarity(similarity, m, query)));
  return { probs: p, retrieved: readout(memories, p) };
};

describe('Universal hard max + distance = nearest neighbour', () => {
  it('holds for the reference (negative and reciprocal, Euclidean and Manhattan)', () => expectHolds(nearestNeighbour(reference), { numRuns: 500 }));
  it('catches the dot product in place of the distance', () => expectCounterexample(nearestNeighbour(dotInstead)));
  it('catches a hard max that picks the minimum', () => expectCounterexample(nearestNeighbour(hardMin)));
});
