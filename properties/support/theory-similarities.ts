/**
 * The fixed similarities that claims 1 and 3 compare against the Bayes rule. Dot product,
 * negative Euclidean distance and negative Manhattan distance come from src/baselines/
 * (universalSimilarity); cosine is not there, so it is defined here. Negative squared distance
 * has the same argmax as negative Euclidean distance.
 */
import { universalSimilarity } from '../../src/baselines/similarities.ts';

export type Similarity = (xi: readonly number[], x: readonly number[]) => number;

/** ξᵀx (the Modern Hopfield Network's similarity; its softmax at any β > 0 has the same argmax). */
export const dot: Similarity = (xi, x) => universalSimilarity('dot', xi, x);

/** −‖ξ − x‖₂ */
export const negDistance: Similarity = (xi, x) => universalSimilarity('neg-euclidean', xi, x);

/** −‖ξ − x‖₁ */
export const negManhattan: Similarity = (xi, x) => universalSimilarity('neg-manhattan', xi, x);

/** ξᵀx / (‖ξ‖ ‖x‖), 0 when either is the zero vector (not in src/baselines). */
export const cosine: Similarity = (xi, x) => {
  const n = Math.sqrt(dot(xi, xi) * dot(x, x));
  return n === 0 ? 0 : dot(xi, x) / n;
};

export const FIXED_SIMILARITIES: readonly { name: string; sim: Similarity }[] = [
  { name: 'dot', sim: dot },
  { name: 'negative distance', sim: negDistance },
  { name: 'Manhattan', sim: negManhattan },
  { name: 'cosine', sim: cosine },
];

/** A retrieval rule: the index of the memory it returns for query x (ties: lowest index). */
export type Rule = (memories: readonly (readonly number[])[], x: readonly number[]) => number;

/** argmax_k sim(ξ_k, x), ties to the lowest index. */
export function argmaxRule(sim: Similarity): Rule {
  return (memories, x) => {
    let best = 0;
    let bestScore = -Infinity;
    memories.forEach((m, k) => {
      const s = sim(m, x);
      if (s > bestScore) {
        bestScore = s;
        best = k;
      }
    });
    return best;
  };
}
