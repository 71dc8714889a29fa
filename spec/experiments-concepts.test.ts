/**
 * Concept scaling (docs/protocol.md, "Concept scaling"): the ridge fit recovers a linear map,
 * the plan covers every C × seed, and a tiny cell runs every method deterministically with the
 * Bayes oracle on top of what its posterior allows.
 */
import { describe, expect, it } from 'vitest';
import { CONCEPT_COUNTS, conceptsSpec } from '../src/experiments/concepts/cells.ts';
import { conceptsGroup } from '../src/experiments/concepts/group.ts';
import { fitProjection, runConceptsCell } from '../src/experiments/concepts/run.ts';
import { createRng } from '../src/random/rng.ts';

describe('concept scaling', () => {
  it('the ridge fit with λ = 0 recovers the map that generated noiseless targets', () => {
    const rng = createRng(5);
    const w = Array.from({ length: 3 }, () => Array.from({ length: 2 }, () => rng.normal()));
    const u = Array.from({ length: 10 }, () => Array.from({ length: 3 }, () => rng.normal()));
    const t = u.map((ui) => [0, 1].map((j) => ui.reduce((a, v, i) => a + v * w[i][j], 0)));
    const fit = fitProjection(u, t, 0);
    fit.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(w[i][j], 9)));
    // … and a positive ridge shrinks it (the fit is not simply echoing its input).
    const shrunk = fitProjection(u, t, 100);
    const norm = (m: number[][]) => m.flat().reduce((a, v) => a + v * v, 0);
    expect(norm(shrunk)).toBeLessThan(norm(fit));
  });

  it('plans every number of concepts for every seed, 16 → 1024', () => {
    const specs = conceptsGroup.plan(2, { firstSeed: 3 });
    expect(specs.map((s) => [s.concepts, s.seed])).toEqual([3, 4].flatMap((seed) => CONCEPT_COUNTS.map((c) => [c, seed])));
    expect(CONCEPT_COUNTS).toEqual([16, 64, 256, 1024]);
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
  });

  it('a tiny cell scores every method in [0, 1], the same seed twice the same', () => {
    const spec = conceptsSpec(8, 0, true);
    const a = runConceptsCell(spec);
    expect(Object.keys(a.accuracy).sort()).toEqual(['ahop', 'bayes', 'mhop', 'sparse', 'universal']);
    for (const v of Object.values(a.accuracy)) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    // 20 test queries over 8 concepts: the oracle is far above chance (1/8).
    expect(a.accuracy.bayes).toBeGreaterThan(0.5);
    const { seconds: _a, ...ra } = a;
    const { seconds: _b, ...rb } = runConceptsCell(spec);
    expect(rb).toEqual(ra);
  }, 60_000);
});
