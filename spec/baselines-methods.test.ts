/**
 * Every method of the registry runs through the one Method interface on one shared instance
 * (memories, variant, training pairs) and returns valid retrievals; bad input gives the typed
 * errors of src/errors.ts.
 */
import { describe, expect, it } from 'vitest';
import { METHODS, TRAINED_METHODS, createInstance, type Instance, type Retriever } from '../src/baselines/index.ts';
import { DomainError, ShapeError } from '../src/errors.ts';
import { createRng } from '../src/random/rng.ts';
import { samplePairs } from '../src/train/pairs.ts';
import { biased, masked, mixed, noisy } from '../src/variants/index.ts';

const N = 5;
const D = 4;

function sharedInstance(): Instance {
  const rng = createRng(11);
  const memories = Array.from({ length: N }, () => Array.from({ length: D }, () => rng.uniform()));
  const variant = mixed([
    { weight: 0.4, variant: masked(0.3, 0.05, 0, 1) },
    { weight: 0.3, variant: biased([0.2, -0.2, 0.2, -0.2], 0.1) },
    { weight: 0.3, variant: noisy([0.2, 0.2, 0.2, 0.2]) },
  ]);
  return createInstance(memories, variant, 64, 3);
}

const instance = sharedInstance();
const queries = samplePairs(instance.memories, instance.variant, 20, createRng(5)).queries;
const budget = { epochs: 30 };
const fitted = new Map<string, Retriever>([...METHODS].map(([name, make]) => [name, make(budget).prepare(instance)]));

describe('the method registry', () => {
  it('lists every baseline family and A-Hop row, each method named by its key', () => {
    for (const name of ['ahop', 'ahop:nosort-noU', 'ahop:nosort-U', 'ahop:sort-noU', 'ahop:dis', 'ahop:dot', 'mhop', 'sparse', 'u2hop', 'bayes']) {
      expect(METHODS.has(name), name).toBe(true);
    }
    expect([...METHODS.keys()].filter((k) => k.startsWith('universal:'))).toHaveLength(15);
    for (const [name, make] of METHODS) expect(make().name).toBe(name);
    for (const name of TRAINED_METHODS) expect(METHODS.has(name)).toBe(true);
  });
});

describe.each([...METHODS.keys()])('%s on the shared instance', (name) => {
  const retrieve = fitted.get(name)!;

  it('returns N finite probabilities in [0, 1] summing to 1 and a finite readout of length d', () => {
    for (const q of queries) {
      const r = retrieve(q);
      expect(r.probs).toHaveLength(N);
      expect(r.retrieved).toHaveLength(D);
      for (const p of r.probs) {
        expect(Number.isFinite(p)).toBe(true);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1 + 1e-12);
      }
      expect(Math.abs(r.probs.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
      for (const y of r.retrieved) expect(Number.isFinite(y)).toBe(true);
    }
  });

  it('is deterministic: fitting again on the same instance gives the same retrievals', () => {
    const again = METHODS.get(name)!(budget).prepare(instance);
    for (const q of queries.slice(0, 5)) expect(again(q)).toEqual(retrieve(q));
  });

  it('readout y = Σ_k p_k ξ_k (the Bayes oracle reads out its MAP memory instead)', () => {
    for (const q of queries.slice(0, 5)) {
      const r = retrieve(q);
      const expected =
        name === 'bayes'
          ? instance.memories[r.probs.indexOf(Math.max(...r.probs))]
          : instance.memories[0].map((_, i) => instance.memories.reduce((a, m, k) => a + r.probs[k] * m[i], 0));
      r.retrieved.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    }
  });

  it('rejects a query of the wrong length (ShapeError) or with NaN/Infinity (DomainError)', () => {
    expect(() => retrieve([0.5, 0.5])).toThrow(ShapeError);
    expect(() => retrieve([0.5, NaN, 0.5, 0.5])).toThrow(DomainError);
    expect(() => retrieve([0.5, Infinity, 0.5, 0.5])).toThrow(DomainError);
    expect(() => retrieve('x' as unknown as number[])).toThrow(ShapeError);
  });

  it('rejects ragged, empty or non-finite memories in fit', () => {
    const make = METHODS.get(name)!;
    expect(() => make(budget).prepare({ ...instance, memories: [[1, 2, 3, 4], [1, 2]] })).toThrow(ShapeError);
    expect(() => make(budget).prepare({ ...instance, memories: [] })).toThrow(ShapeError);
    expect(() => make(budget).prepare({ ...instance, memories: [[1, 2, NaN, 4]] })).toThrow(DomainError);
  });
});

describe('instance checks of the methods that read more than the memories', () => {
  it('trained methods reject empty or mismatched training pairs', () => {
    for (const name of TRAINED_METHODS) {
      const make = METHODS.get(name)!;
      expect(() => make(budget).prepare({ ...instance, train: { queries: [], targets: [] } }), name).toThrow(DomainError);
      expect(() => make(budget).prepare({ ...instance, train: { queries: [[1, 2]], targets: [0] } }), name).toThrow(ShapeError);
      expect(() => make(budget).prepare({ ...instance, train: { queries: [[1, 2, 3, 4]], targets: [N] } }), name).toThrow(DomainError);
      expect(() => make(budget).prepare({ ...instance, train: { queries: [[1, 2, 3, 4]], targets: [] } }), name).toThrow(ShapeError);
    }
  });

  it('trained methods reject a bad training budget', () => {
    for (const name of TRAINED_METHODS) {
      expect(() => METHODS.get(name)!({ epochs: 0 }).prepare(instance), name).toThrow(DomainError);
      expect(() => METHODS.get(name)!({ lr: -1 }).prepare(instance), name).toThrow(DomainError);
    }
  });

  it('the Bayes oracle rejects a variant of another dimension', () => {
    expect(() => METHODS.get('bayes')!().prepare({ ...instance, variant: noisy([1, 1]) })).toThrow(ShapeError);
  });

  it('createInstance checks the variant against the memories', () => {
    expect(() => createInstance(instance.memories, noisy([1, 1]), 8, 0)).toThrow(ShapeError);
    expect(() => createInstance(instance.memories, instance.variant, 0, 0)).toThrow(DomainError);
  });
});
