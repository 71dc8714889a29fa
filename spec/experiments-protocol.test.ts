/** The δ → variant map, the data generators and the seeded streams of docs/protocol.md. */
import { describe, expect, it } from 'vitest';
import { biasSigns, FAMILIES, strength, variantAt } from '../src/experiments/difficulty.ts';
import { buildExperiment } from '../src/experiments/instance.ts';
import { syntheticMemories } from '../src/experiments/memories.ts';
import { mnistMemories, pool } from '../src/experiments/mnist.ts';
import { fullPlan, headlinePlan } from '../src/experiments/plan.ts';
import { tabularGroup } from '../src/experiments/tabular/group.ts';
import { createRng } from '../src/random/rng.ts';

describe('difficulty', () => {
  it('maps δ to ρ = δ, σ = |b| = δ·w/4', () => {
    expect(strength(0.4, { low: -1, high: 1 })).toEqual({ rho: 0.4, sigma: 0.2, biasScale: 0.2 });
    expect(strength(0.6, { low: 0, high: 1 }).sigma).toBeCloseTo(0.15, 15);
    expect(strength(0, { low: 0, high: 1 }).sigma).toBeGreaterThan(0);
    expect(() => strength(1, { low: 0, high: 1 })).toThrow(/difficulty/);
  });

  it('builds the composed variant with the mapped strengths', () => {
    const signs = biasSigns(4, createRng(1));
    const v = variantAt('composed', 0.5, { low: -1, high: 1 }, signs);
    expect(v.spec).toEqual({ type: 'composed', rho: 0.5, sigma: [0.25, 0.25, 0.25, 0.25], bias: signs.map((s) => s * 0.25), low: -1, high: 1 });
  });

  it('builds every family', () => {
    for (const f of FAMILIES) expect(variantAt(f, 0.3, { low: 0, high: 1 }, [1, -1, 1]).spec.type).toBe(f);
  });
});

describe('data', () => {
  it('draws centred synthetic patterns', () => {
    const u = syntheticMemories('uniform', 50, 8, createRng(2)).flat();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThanOrEqual(1);
    expect(new Set(syntheticMemories('binary', 10, 8, createRng(2)).flat())).toEqual(new Set([-1, 1]));
  });

  it('pools MNIST 2×2 and samples it reproducibly', () => {
    expect(pool([1, 2, 3, 4], 2, 2)).toEqual([2.5]);
    const a = mnistMemories(3, 2, createRng(7));
    const b = mnistMemories(3, 2, createRng(7));
    expect(a).toEqual(b);
    expect(a.memories[0]).toHaveLength(196);
    expect(a.memories.flat().every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(a.labels.every((l) => Number.isInteger(l) && l >= 0 && l <= 9)).toBe(true);
  });

  it('gives every method the same data for a seed, and other data for another seed', () => {
    const task = { kind: 'synthetic', patterns: 'uniform', n: 5, d: 4 } as const;
    const a = buildExperiment(task, 'mixed', 0.4, 1, { trainPairs: 6, testQueries: 6 });
    const b = buildExperiment(task, 'mixed', 0.4, 1, { trainPairs: 6, testQueries: 6 });
    // Variants hold closures, so compare what they are made of.
    expect([b.instance.memories, b.instance.train, b.test, b.instance.variant.spec]).toEqual([a.instance.memories, a.instance.train, a.test, a.instance.variant.spec]);
    expect(buildExperiment(task, 'mixed', 0.4, 2, { trainPairs: 6, testQueries: 6 }).instance.memories).not.toEqual(a.instance.memories);
    // Test queries come from their own stream: more training pairs leave them unchanged.
    expect(buildExperiment(task, 'mixed', 0.4, 1, { trainPairs: 9, testQueries: 6 }).test).toEqual(a.test);
  });
});

describe('plans', () => {
  it('headline cells are full-run cells, spec for spec, so a full run reuses them from the cache', () => {
    const full = new Map(fullPlan(5).map((c) => [c.id, JSON.stringify(c)]));
    for (const c of headlinePlan(2)) expect(full.get(c.id)).toBe(JSON.stringify(c));
    expect(new Set(fullPlan(5).map((c) => c.id)).size).toBe(fullPlan(5).length);
    expect(tabularGroup.plan(5, { firstSeed: 0 })).toHaveLength(15);
  });
});
