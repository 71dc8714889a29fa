/**
 * Boundary checks shared by the baseline methods: every Method validates its instance in `prepare`
 * and every query in its retriever, raising the typed errors of src/errors.ts.
 */
import { DomainError, ShapeError } from '../errors.ts';
import { checkIndex, checkMatrix, checkPositive, checkVector } from '../validate.ts';
import type { Pairs } from '../train/pairs.ts';
import type { Instance } from './method.ts';

/** An instance must at least be an object; its parts are checked where they are used. */
export function checkInstance(instance: unknown): Instance {
  if (typeof instance !== 'object' || instance === null || Array.isArray(instance)) {
    throw new DomainError('instance must be an object { memories, train, variant, seed }');
  }
  return instance as Instance;
}

/** What every Method's `prepare` starts with: the instance, its checked memories Ξ (N × d) and d. */
export function checkInstanceMemories(raw: unknown): { instance: Instance; memories: number[][]; d: number } {
  const instance = checkInstance(raw);
  const memories = checkMemories(instance.memories);
  return { instance, memories, d: memories[0].length };
}

/** Memories: a non-empty rectangular matrix of finite numbers (N × d). */
export function checkMemories(memories: unknown): number[][] {
  return checkMatrix('memories', memories);
}

/** A query of length d with finite entries. */
export function checkQuery(query: unknown, d: number): number[] {
  return checkVector('query', query, d);
}

/** An inverse temperature β: finite and > 0. */
export function checkBeta(beta: unknown, name = 'beta'): number {
  return checkPositive(name, beta);
}

/** Training pairs for a method that learns: non-empty, one source index in [0, N) per query of length d. */
export function checkPairs(pairs: unknown, n: number, d: number): Pairs {
  if (typeof pairs !== 'object' || pairs === null) throw new DomainError('train must be an object { queries, targets }');
  const p = pairs as Record<string, unknown>;
  if (!Array.isArray(p.queries) || p.queries.length === 0) throw new DomainError('train.queries must be a non-empty array');
  if (!Array.isArray(p.targets) || p.targets.length !== p.queries.length) {
    throw new ShapeError(`train.targets must have one index per query (${p.queries.length})`);
  }
  return {
    queries: p.queries.map((q, i) => checkVector(`train.queries[${i}]`, q, d)),
    targets: p.targets.map((t, i) => checkIndex(`train.targets[${i}]`, t, n)),
  };
}
