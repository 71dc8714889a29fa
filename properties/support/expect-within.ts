/**
 * The element-wise tolerance check that the backend suites share: a backend's output against the
 * reference's, with the worst element named in the failure.
 */
import { expect } from 'vitest';

/** Fails with the worst element named when any |got − expected| exceeds its tolerance. */
export function expectWithin(what: string, got: ArrayLike<number>, expected: ArrayLike<number>, tol: (i: number) => number): void {
  expect(got.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstRatio = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(got[i] - expected[i]);
    const ratio = Number.isNaN(err) ? Infinity : err / tol(i);
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = i;
    }
  }
  const detail =
    worst < 0 ? '' : `${what}[${worst}]: got ${got[worst]}, expected ${expected[worst]}, tolerance ${tol(worst).toExponential(2)} (${worstRatio.toFixed(2)}× over)`;
  expect(worstRatio, detail).toBeLessThanOrEqual(1);
}
