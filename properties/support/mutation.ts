/**
 * Mutation discipline: every property is written as a function of the implementation it checks,
 * so a test can run it against a deliberately broken implementation and require fast-check to
 * find a counterexample. A property that no mutation can break is not a check.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

/** Runs the property (fixed seed, so the counterexample replays) and asserts that it fails. */
export function expectCounterexample<T>(property: fc.IProperty<T>, params: fc.Parameters<T> = {}): fc.RunDetails<T> {
  // endOnFailure: detecting the mutation is the point here; shrinking it would only cost time.
  const details = fc.check(property, { seed: 42, numRuns: 200, endOnFailure: true, ...params });
  expect(details.failed, 'the broken implementation should be caught by the property').toBe(true);
  return details;
}

/** Runs the property and asserts it holds, reporting the shrunk counterexample if not. */
export function expectHolds<T>(property: fc.IProperty<T>, params: fc.Parameters<T> = {}): void {
  fc.assert(property, { seed: 7, numRuns: 100, ...params });
}
