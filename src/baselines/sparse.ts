/**
 * Sparse Hopfield (Hu et al., 2023): the modern Hopfield update with sparsemax in place of softmax,
 *   p = sparsemax(β Ξ x),  y = Ξᵀ p,
 * so memories scoring more than 1/β below the best get exactly zero weight. β defaults to 1/√d,
 * as for M-Hop.
 */
import { readout } from '../hopfield/ahop.ts';
import { checkBeta, checkInstanceMemories, checkMemories, checkQuery } from './checks.ts';
import { defaultBeta, dotScores } from './mhop.ts';
import type { Method, Retrieval } from './method.ts';
import { sparsemax } from './sparsemax.ts';

/** p = sparsemax(β Ξ x), y = Ξᵀ p on validated input. */
export function sparseStep(memories: readonly (readonly number[])[], x: readonly number[], beta: number): Retrieval {
  const probs = sparsemax(dotScores(memories, x).map((s) => beta * s));
  return { probs, retrieved: readout(memories, probs) };
}

/**
 * p = sparsemax(β Ξ x), y = Σ_k p_k ξ_k for one query (the `sparse` conformance kind).
 * @example
 * ```ts
 * import { sparseRetrieve } from 'ahop';
 * // β Ξ x = (2, 0): more than 1 apart, so sparsemax gives the second memory exactly zero weight.
 * const r = sparseRetrieve([[1, 0], [0, 1]], [2, 0], 1);
 * if (r.probs.join() !== '1,0' || r.retrieved.join() !== '1,0') throw new Error('p = (1, 0)');
 * ```
 */
export function sparseRetrieve(memories: unknown, query: unknown, beta: unknown): Retrieval {
  const xi = checkMemories(memories);
  return sparseStep(xi, checkQuery(query, xi[0].length), checkBeta(beta));
}

export interface SparseOptions {
  /** Inverse temperature; default 1/√d of the instance. */
  beta?: number;
}

/** Sparse Hopfield as a Method: nothing to train. */
export function sparseMethod(options: SparseOptions = {}, name = 'sparse'): Method {
  if (options.beta !== undefined) checkBeta(options.beta);
  return {
    name,
    prepare(raw) {
      const { memories: xi, d } = checkInstanceMemories(raw);
      const beta = options.beta ?? defaultBeta(d);
      return (query) => sparseStep(xi, checkQuery(query, d), beta);
    },
  };
}
