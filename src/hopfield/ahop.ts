/**
 * A-Hop retrieval: p = softmax(s(Ξ, x)) over the N memories, y = T(x) = Σ_k p_k ξ_k = Ξ p,
 * and energy E(x) = −lse(s(Ξ, x)).
 */
import { DomainError } from '../errors.ts';
import { argmax, logSumExp, softmax } from '../numeric/logsumexp.ts';
import { adaptiveSimilarity, checkParams, type AhopParams } from '../similarity/adaptive.ts';
import { checkFootprintOptions, FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';
import { checkMemoriesQuery } from '../validate.ts';

/**
 * One query's retrieval, the shape every method returns (A-Hop, its ablations and the baselines of
 * src/baselines/): a distribution over the N memories and a readout.
 */
export interface Retrieval {
  /** Probability (or separation weight) of each memory; sums to 1. */
  probs: number[];
  /**
   * The readout: y = Σ_k p_k ξ_k for every method except the Bayes oracle, which reads out its MAP
   * memory ξ_{argmax p} (docs/baselines.md).
   */
  retrieved: number[];
}

/** One A-Hop retrieval step T(x): the Retrieval with its scores, energy and source. */
export interface AhopRetrieval extends Retrieval {
  /** s(ξ_k, x) for every memory k. */
  scores: number[];
  /** p = softmax(scores). */
  probs: number[];
  /** y = Σ_k p_k ξ_k. */
  retrieved: number[];
  /** E = −lse(scores). */
  energy: number;
  /** argmax_k p_k (ties: lowest index). */
  source: number;
}

/** Validates (Ξ, x, params) together: shapes agree, every number finite. */
export function checkProblem(memories: unknown, query: unknown, params: unknown) {
  const c = checkMemoriesQuery(memories, query);
  return { ...c, params: checkParams(params, c.query.length) };
}

/**
 * s(Ξ, x) = (s(ξ_1, x), …, s(ξ_N, x)). Assumes validated input.
 * @example
 * ```ts
 * import { initialParams, scores } from 'ahop';
 * if (scores([[0, 0], [3, 4]], [0, 0], initialParams(2)).join() !== '0,-25') throw new Error('s = −‖ξ − x‖² at the start');
 * ```
 */
export function scores(
  memories: readonly (readonly number[])[],
  query: readonly number[],
  params: AhopParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): number[] {
  return memories.map((m) => adaptiveSimilarity(m, query, params, options));
}

/**
 * Finite inputs can still give scores outside float64 (entries near 1e155 square to Infinity, and
 * 0 · Infinity is NaN): refuse them with a DomainError rather than return NaN or ±Infinity.
 */
export function checkScores(s: readonly number[]): readonly number[] {
  const k = s.findIndex((v) => !Number.isFinite(v));
  if (k >= 0) {
    throw new DomainError(`s(ξ_${k}, x) = ${s[k]}: the memories and query are too large for float64 scores (|memories| or |query| ~ 1e154 or more)`);
  }
  return s;
}

/**
 * y = Ξ p: the readout of probabilities p over the memories.
 * @example
 * ```ts
 * import { readout } from 'ahop';
 * if (readout([[1, 0], [0, 1]], [0.25, 0.75]).join() !== '0.25,0.75') throw new Error('y = Σ_k p_k ξ_k');
 * ```
 */
export function readout(memories: readonly (readonly number[])[], p: readonly number[]): number[] {
  const y = new Array<number>(memories[0].length).fill(0);
  memories.forEach((m, k) => m.forEach((v, i) => (y[i] += p[k] * v)));
  return y;
}

/**
 * One A-Hop retrieval step T(x), with scores, probabilities and energy.
 * T(x) = Σ_k p_k ξ_k with p = softmax(s(Ξ, x)); the energy is E(x) = −lse(s(Ξ, x)) and `source` = argmax_k p_k.
 * @example
 * ```ts
 * import { initialParams, retrieve } from 'ahop';
 * // At the initial parameters s(ξ, x) = −‖ξ − x‖²: both memories lie at squared distance 1 from x.
 * const r = retrieve([[0, 0], [1, 1]], [1, 0], initialParams(2));
 * if (r.probs[0] !== 0.5 || r.retrieved.join() !== '0.5,0.5') throw new Error('p = (1/2, 1/2), y = (1/2, 1/2)');
 * if (Math.abs(r.energy - (1 - Math.LN2)) > 1e-15) throw new Error('E = −lse(−1, −1) = 1 − log 2');
 * ```
 */
export function retrieve(
  memories: readonly (readonly number[])[],
  query: readonly number[],
  params: AhopParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): AhopRetrieval {
  const c = checkProblem(memories, query, params);
  const s = scores(c.memories, c.query, c.params, checkFootprintOptions(options));
  checkScores(s);
  const probs = softmax(s);
  return { scores: s, probs, retrieved: readout(c.memories, probs), energy: -logSumExp(s), source: argmax(probs) };
}
