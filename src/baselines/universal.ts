/**
 * The Universal Hopfield network (Millidge et al., 2022): retrieval = projection ∘ separation ∘
 * similarity,
 *   p = sep(sim(ξ_1, x), …, sim(ξ_N, x)),  y = P Ξᵀ p,
 * with sim from similarities.ts, sep from separation.ts (softmax with β, hard max, polynomial of
 * degree n) and the identity projection P = I (auto-association: y is a mixture of memories).
 */
import { readout } from '../hopfield/ahop.ts';
import { checkBeta, checkInstanceMemories, checkMemories, checkQuery } from './checks.ts';
import type { Method, Retrieval } from './method.ts';
import { checkDegree, hardMax, polynomialSeparation, SEPARATIONS, softmaxSeparation, type Separation } from './separation.ts';
import { UNIVERSAL_SIMILARITIES, universalSimilarity, type UniversalSimilarity } from './similarities.ts';
import { DomainError } from '../errors.ts';

export interface UniversalOptions {
  similarity: UniversalSimilarity;
  separation: Separation;
  /** Softmax inverse temperature (softmax only); default 1. */
  beta?: number;
  /** Polynomial degree n (polynomial only); default 10. */
  degree?: number;
}

export const UNIVERSAL_DEFAULTS = { beta: 1, degree: 10 } as const;

/** sim(Ξ, x) = (sim(ξ_1, x), …, sim(ξ_N, x)). */
export function universalScores(
  memories: readonly (readonly number[])[],
  x: readonly number[],
  similarity: UniversalSimilarity,
): number[] {
  return memories.map((m) => universalSimilarity(similarity, m, x));
}

/** sep(s): the separation named in the options, applied to scores s. */
export function separate(s: readonly number[], o: UniversalOptions): number[] {
  switch (o.separation) {
    case 'softmax':
      return softmaxSeparation(s, o.beta ?? UNIVERSAL_DEFAULTS.beta);
    case 'hardmax':
      return hardMax(s);
    case 'polynomial':
      return polynomialSeparation(s, o.degree ?? UNIVERSAL_DEFAULTS.degree);
  }
}

/**
 * p = sep(sim(Ξ, x)), y = Ξᵀ p for one query (validated).
 * @example
 * ```ts
 * import { universalRetrieve } from 'ahop';
 * // Hard max over negative Euclidean distance: all weight on the nearest memory.
 * const r = universalRetrieve([[0, 0], [3, 3]], [2, 2], { similarity: 'neg-euclidean', separation: 'hardmax' });
 * if (r.probs.join() !== '0,1' || r.retrieved.join() !== '3,3') throw new Error('the nearest memory');
 * ```
 */
export function universalRetrieve(memories: unknown, query: unknown, options: UniversalOptions): Retrieval {
  const xi = checkMemories(memories);
  const x = checkQuery(query, xi[0].length);
  const o = checkUniversal(options);
  const probs = separate(universalScores(xi, x, o.similarity), o);
  return { probs, retrieved: readout(xi, probs) };
}

function checkUniversal(o: UniversalOptions): UniversalOptions {
  if (typeof o !== 'object' || o === null) throw new DomainError('options must be an object { similarity, separation, beta?, degree? }');
  if (!UNIVERSAL_SIMILARITIES.includes(o.similarity)) {
    throw new DomainError(`options.similarity must be one of ${UNIVERSAL_SIMILARITIES.join(', ')}; got ${JSON.stringify(o.similarity)}`);
  }
  if (!SEPARATIONS.includes(o.separation)) {
    throw new DomainError(`options.separation must be one of ${SEPARATIONS.join(', ')}; got ${JSON.stringify(o.separation)}`);
  }
  if (o.beta !== undefined) checkBeta(o.beta);
  if (o.degree !== undefined) checkDegree(o.degree);
  return o;
}

/** Registry name of a configuration, e.g. `universal:neg-euclidean:hardmax`. */
export function universalName(o: UniversalOptions): string {
  return `universal:${o.similarity}:${o.separation}`;
}

/** A Universal Hopfield configuration as a Method: nothing to train. */
export function universalMethod(options: UniversalOptions, name = universalName(options)): Method {
  const o = checkUniversal({ ...options });
  return {
    name,
    prepare(raw) {
      const { memories: xi, d } = checkInstanceMemories(raw);
      return (query) => {
        const probs = separate(universalScores(xi, checkQuery(query, d), o.similarity), o);
        return { probs, retrieved: readout(xi, probs) };
      };
    },
  };
}
