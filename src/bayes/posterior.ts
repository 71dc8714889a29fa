/**
 * Bayes-optimal retrieval — the correctness oracle.
 * log p(ξ_k | x) = log π_k + log p_V(x | ξ_k) − lse_j(log π_j + log p_V(x | ξ_j)),
 * and correct retrieval returns argmax_k p(ξ_k | x) (ties: lowest index).
 */
import { DomainError, ShapeError } from '../errors.ts';
import { argmax, logSoftmax } from '../numeric/logsumexp.ts';
import { checkMatrix, checkVector } from '../validate.ts';
import type { Variant } from '../variants/variant.ts';

export interface Posterior {
  logPosterior: number[];
  argmax: number;
}

/** Normalises positive prior weights π_k ∝ prior[k]; uniform when absent. */
export function normalisePrior(prior: readonly number[] | undefined, n: number): number[] {
  if (prior === undefined) return new Array<number>(n).fill(1 / n);
  const p = checkVector('prior', prior);
  if (p.length !== n) throw new ShapeError(`prior must have length N = ${n}, got ${p.length}`);
  p.forEach((v, k) => {
    if (!(v > 0)) throw new DomainError(`prior[${k}] must be > 0, got ${v}`);
  });
  const total = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / total);
}

/**
 * The Bayes posterior over the memories: log p(ξ_k | x) = log π_k + log p_V(x | ξ_k) − lse_j(log π_j + log p_V(x | ξ_j)),
 * with a uniform prior π unless given; `argmax` (ties: lowest index) is the correct retrieval.
 * @example
 * ```ts
 * import { noisy, posterior } from 'ahop';
 * const post = posterior(noisy([1, 1]), [[0, 0], [1, 1]], [0.9, 0.8]);
 * // Equal σ = 1: log-odds = (‖x − ξ_0‖² − ‖x − ξ_1‖²) / 2 = ((0.81 + 0.64) − (0.01 + 0.04)) / 2 = 0.7.
 * const logOdds = post.logPosterior[1]! - post.logPosterior[0]!;
 * if (post.argmax !== 1 || Math.abs(logOdds - 0.7) > 1e-12) throw new Error('the nearer memory, with log-odds 0.7');
 * ```
 */
export function posterior(
  variant: Variant,
  memories: readonly (readonly number[])[],
  query: readonly number[],
  prior?: readonly number[],
): Posterior {
  const xi = checkMatrix('memories', memories, variant.dim);
  const x = checkVector('query', query, xi[0].length);
  const pi = normalisePrior(prior, xi.length);
  const joint = xi.map((m, k) => Math.log(pi[k]) + variant.logLikelihood(x, m));
  if (joint.every((v) => v === -Infinity)) {
    throw new DomainError('the query has zero likelihood under every memory: the posterior is undefined');
  }
  const logPosterior = logSoftmax(joint);
  return { logPosterior, argmax: argmax(logPosterior) };
}
