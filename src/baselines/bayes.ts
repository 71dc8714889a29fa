/**
 * The Bayes oracle: retrieval by the exact posterior of the variant that generated the queries
 * (bayes/posterior.ts), with a uniform prior over the memories,
 *   p_k = p_V(ξ_k | x) = p_V(x | ξ_k) / Σ_j p_V(x | ξ_j),
 * read out as the maximum-a-posteriori memory y = ξ_{k*}, k* = argmax_k p_k (ties: lowest index).
 * The paper's correct retrieval asks argmin_k ‖y − ξ_k‖ = argmax_k p_V(ξ_k | x), which y = ξ_{k*}
 * satisfies by construction, so no method can beat this row: it is the upper bound of every table.
 * (With `readout: 'mean'` y = Σ_k p_k ξ_k instead, the posterior mean, which can be nearer to a
 * wrong memory when the posterior is spread.)
 */
import { posterior } from '../bayes/posterior.ts';
import { ShapeError } from '../errors.ts';
import { readout } from '../hopfield/ahop.ts';
import { checkInstanceMemories, checkQuery } from './checks.ts';
import type { Method } from './method.ts';

export interface BayesOptions {
  /** 'map' (default): y = ξ_{argmax p}; 'mean': y = Σ_k p_k ξ_k. */
  readout?: 'map' | 'mean';
}

/**
 * The Bayes oracle as a method: p_k = p_V(ξ_k | x) (uniform prior), read out as y = ξ_{k*}, k* = argmax_k p_k
 * (or y = Σ_k p_k ξ_k with `readout: 'mean'`).
 * @example
 * ```ts
 * import { bayesMethod, noisy } from 'ahop';
 * const memories = [[0, 0], [2, 2]];
 * const retriever = bayesMethod().prepare({ memories, train: { queries: [], targets: [] }, variant: noisy([0.5, 0.5]), seed: 0 });
 * if (retriever([1.5, 1.4]).retrieved.join() !== '2,2') throw new Error('the MAP memory');
 * ```
 */
export function bayesMethod(options: BayesOptions = {}, name = options.readout === 'mean' ? 'bayes-mean' : 'bayes'): Method {
  const mode = options.readout ?? 'map';
  return {
    name,
    prepare(raw) {
      const { instance, memories: xi, d } = checkInstanceMemories(raw);
      const variant = instance.variant;
      if (variant.dim !== undefined && variant.dim !== d) {
        throw new ShapeError(`the variant has dimension ${variant.dim} but memories have d = ${d}`);
      }
      return (query) => {
        const post = posterior(variant, xi, checkQuery(query, d));
        // exp of a log-softmax: entries in [0, 1], summing to 1 up to rounding.
        const probs = post.logPosterior.map(Math.exp);
        return { probs, retrieved: mode === 'map' ? [...xi[post.argmax]] : readout(xi, probs) };
      };
    },
  };
}
