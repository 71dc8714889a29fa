/**
 * Shrunk counterexamples for docs/theory.md. `expectCounterexample` (mutation.ts) stops at the
 * first failure; a refuted claim needs the smallest instance fast-check can find, with the seed
 * and path that replay it.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

export interface Shrunk<T> {
  counterexample: T;
  seed: number;
  path: string | null;
}

/** Runs the property with shrinking and returns the shrunk counterexample (asserts one exists). */
export function shrunkCounterexample<T>(property: fc.IProperty<T>, params: fc.Parameters<T> = {}): Shrunk<T> {
  const details = fc.check(property, { seed: 42, numRuns: 200, ...params });
  expect(details.failed, 'fast-check should find a counterexample').toBe(true);
  return { counterexample: details.counterexample as T, seed: details.seed, path: details.counterexamplePath };
}
