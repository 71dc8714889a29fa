/**
 * The per-backend tolerance table is not loose: the reference's entry tells float64 from float32
 * (a reference whose scores were rounded to float32 is caught), and the float32 backends' entry is
 * above float32 rounding but below an error of one per cent of the mean term at d = 784.
 */
import { describe, expect, it } from 'vitest';
import { scoreBatch } from '../src/hopfield/batch.ts';
import { createRng } from '../src/random/rng.ts';
import { FULL_FOOTPRINT } from '../src/similarity/footprint.ts';
import { BACKENDS, backendSpec } from './index.ts';
import { problem, readableScores, scales } from './suite.ts';

/** max_i |got_i − expected_i| / scale_i. */
function worst(got: ArrayLike<number>, expected: ArrayLike<number>, scale: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < expected.length; i++) w = Math.max(w, Math.abs(got[i] - expected[i]) / scale[i]);
  return w;
}

describe('the per-backend tolerance table', () => {
  const p = problem(createRng(11), 20, 3, 784);
  const expected = readableScores(p, FULL_FOOTPRINT);
  const scale = scales(p, FULL_FOOTPRINT);
  const batched = scoreBatch(p.memories, p.n, p.d, p.queries, p.b, p.params, FULL_FOOTPRINT);

  it("holds the reference's batched scores to its tolerance at d = 784", () => {
    expect(worst(batched, expected, scale)).toBeLessThanOrEqual(backendSpec('reference').tolerance.scores);
  });

  it('… and a reference whose scores are rounded to float32 is caught', () => {
    const rounded = batched.map(Math.fround);
    expect(worst(rounded, expected, scale)).toBeGreaterThan(backendSpec('reference').tolerance.scores);
  });

  it('gives every float32 backend (gpu.js, tfjs) a tolerance above float32 rounding that an error of 1 % of the mean term (scale / d) exceeds', () => {
    for (const name of BACKENDS.filter((b) => b.family === 'gpu.js' || b.family === 'tfjs').map((b) => b.name)) {
      const t = backendSpec(name).tolerance.scores;
      expect(t).toBeGreaterThan(2 ** -24);
      const off = expected.map((s, i) => s + 0.01 * scale[i] / p.d);
      expect(worst(off, expected, scale), name).toBeGreaterThan(t);
    }
  });
});
