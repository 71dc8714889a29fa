/**
 * Edges of the baselines that the main suites did not reach (docs/mutation.md lists the mutants
 * each test kills): the methods' names and options, the registry's rows, the boundary checks,
 * M-Hop's fixed-point rule, the infinite limits of sparsemax, and U2-Hop's two trainers (trainU2
 * and the memory classifier trainU2Class) against a readable U2-Hop loss and gradient.
 */
import { describe, expect, it } from 'vitest';
import { AHOP_VARIANTS, ahopMethod } from '../src/baselines/ahop-methods.ts';
import { bayesMethod } from '../src/baselines/bayes.ts';
import { checkPairs } from '../src/baselines/checks.ts';
import { createInstance } from '../src/baselines/instance.ts';
import type { Instance } from '../src/baselines/method.ts';
import { mhopFixedPoint, mhopMethod, mhopRetrieve } from '../src/baselines/mhop.ts';
import { METHODS, TRAINED_METHODS } from '../src/baselines/registry.ts';
import { checkDegree } from '../src/baselines/separation.ts';
import { sparseMethod } from '../src/baselines/sparse.ts';
import { sparsemaxWithThreshold } from '../src/baselines/sparsemax.ts';
import { checkU2Model, identityMap } from '../src/baselines/u2hop.ts';
import { trainU2, trainU2Class, u2hopMethod } from '../src/baselines/u2hop-train.ts';
import { DomainError, ShapeError } from '../src/errors.ts';
import { retrieve } from '../src/hopfield/ahop.ts';
import { createRng } from '../src/random/rng.ts';
import { FULL_FOOTPRINT } from '../src/similarity/footprint.ts';
import { holdOut } from '../src/train/loop.ts';
import { samplePairs } from '../src/train/pairs.ts';
import { trainOnPairs } from '../src/train/train.ts';
import { noisy } from '../src/variants/noisy.ts';

/** Throws `fn` and returns the error, so its type and message can both be asserted. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

/** An instance with no training pairs, for the methods that learn nothing. */
const fixedInstance = (memories: number[][], variant = noisy(0.5)): Instance => ({ memories, train: { queries: [], targets: [] }, variant, seed: 0 });

// ---- a readable U2-Hop (independent of src/baselines/u2hop.ts) ----

/** (W v)_i = Σ_j W_ij v_j, W row-major d×d. */
const mapVec = (w: ArrayLike<number>, d: number, v: readonly number[]) =>
  Array.from({ length: d }, (_, i) => v.reduce((a, vj, j) => a + w[i * d + j] * vj, 0));

/**
 * The class loss L = −log Σ_{k: c_k = t} softmax(s)_k, s_k = β ⟨W ξ_k, W x⟩, s_self = −∞, and
 * ∂L/∂W = Σ_k g_k β (W x ξ_kᵀ + W ξ_k xᵀ), g_k = p_k − 1[c_k = t] p_k / P_t. Every memory its own
 * class (c_k = k) gives the source-index loss −log p_t that trainU2 minimises.
 */
function classLossGrad(w: ArrayLike<number>, d: number, beta: number, xi: number[][], labels: number[], x: number[], t: number, self = -1) {
  const u = mapVec(w, d, x);
  const a = xi.map((m) => mapVec(w, d, m));
  const s = a.map((ak, k) => (k === self ? -Infinity : beta * ak.reduce((acc, v, i) => acc + v * u[i], 0)));
  const m = Math.max(...s);
  const e = s.map((v) => Math.exp(v - m));
  const z = e.reduce((acc, v) => acc + v, 0);
  const p = e.map((v) => v / z);
  const pt = p.reduce((acc, v, k) => acc + (labels[k] === t ? v : 0), 0);
  const g = p.map((v, k) => v - (labels[k] === t ? v / pt : 0));
  const grad = new Array<number>(d * d).fill(0);
  g.forEach((gk, k) => {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) grad[i * d + j] += gk * beta * (u[i] * xi[k][j] + a[k][i] * x[j]);
  });
  return { loss: -Math.log(pt), grad, scores: s };
}

/** The mean loss and mean gradient over the queries `idx`. */
function meanLossGrad(w: ArrayLike<number>, d: number, beta: number, xi: number[][], labels: number[], qs: number[][], ts: number[], self?: number[], idx = qs.map((_, i) => i)) {
  const all = idx.map((i) => classLossGrad(w, d, beta, xi, labels, qs[i], ts[i], self?.[i] ?? -1));
  return {
    loss: all.reduce((a, r) => a + r.loss, 0) / idx.length,
    grad: all[0].grad.map((_, j) => all.reduce((a, r) => a + r.grad[j], 0) / idx.length),
  };
}

/** Adam's first step from θ₀ (m̂ = g, v̂ = g²): θ₁ = θ₀ − lr · g / (|g| + ε), lr = 0.1, ε = 1e-8. */
const firstAdamStep = (theta0: ArrayLike<number>, g: number[]) => Array.from(theta0, (v, j) => v - (0.1 * g[j]) / (Math.abs(g[j]) + 1e-8));

const rng = createRng(31);
const rand = (n: number, d: number) => Array.from({ length: n }, () => Array.from({ length: d }, () => 2 * rng.uniform() - 1));

describe('method names and readouts', () => {
  it("the default names: 'bayes' / 'bayes-mean' by readout, 'sparse', 'u2hop', 'mhop' / 'mhop-fixed-point' by iterate", () => {
    expect(bayesMethod().name).toBe('bayes');
    expect(bayesMethod({ readout: 'map' }).name).toBe('bayes');
    expect(bayesMethod({ readout: 'mean' }).name).toBe('bayes-mean');
    expect(sparseMethod().name).toBe('sparse');
    expect(u2hopMethod().name).toBe('u2hop');
    expect(mhopMethod().name).toBe('mhop');
    expect(mhopMethod({ iterate: true }).name).toBe('mhop-fixed-point');
    expect(mhopMethod({ iterate: { maxSteps: 5 } }).name).toBe('mhop-fixed-point');
  });

  it('the Bayes oracle reads out its MAP memory by default and the posterior mean Σ_k p_k ξ_k with readout mean', () => {
    // noisy(σ = 0.5): p_k ∝ exp(−‖x − ξ_k‖² / (2σ²)); ‖x − ξ_0‖² = 1.81, ‖x − ξ_1‖² = 2.21, log-odds 0.8 for ξ_0.
    const memories = [[0, 0], [2, 2]];
    const x = [1, 0.9];
    const p1 = 1 / (1 + Math.exp(0.8));
    for (const method of [bayesMethod(), bayesMethod({ readout: 'map' })]) {
      const r = method.prepare(fixedInstance(memories))(x);
      expect(r.retrieved).toEqual([0, 0]);
      expect(r.probs[1]).toBeCloseTo(p1, 12);
    }
    const mean = bayesMethod({ readout: 'mean' }).prepare(fixedInstance(memories))(x);
    expect(mean.retrieved[0]).toBeCloseTo(2 * p1, 12);
    expect(mean.retrieved[1]).toBeCloseTo(2 * p1, 12);
  });

  it('the Bayes oracle prepares with a variant of the memories\' dimension and refuses one of another, naming both', () => {
    const memories = [[0, 0], [2, 2]];
    expect(() => bayesMethod().prepare(fixedInstance(memories, noisy([0.5, 0.5])))).not.toThrow();
    const e = thrown(() => bayesMethod().prepare(fixedInstance(memories, noisy([1, 1, 1]))));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/variant has dimension 3 but memories have d = 2/);
  });

  it('mhopMethod with iterate false is the single update, and the registry\'s mhop-fixed-point iterates to the fixed point', () => {
    const memories = [[1, 0], [0, 1]];
    const x = [3, 0];
    const beta = 1 / Math.sqrt(2);
    const once = mhopRetrieve(memories, x, beta);
    const fixed = mhopFixedPoint(memories, x, beta);
    // The two differ here, so each expectation below tells them apart.
    expect(Math.abs(once.retrieved[0] - fixed.retrieved[0])).toBeGreaterThan(0.1);
    expect(mhopMethod({ iterate: false }).prepare(fixedInstance(memories))(x)).toEqual(once);
    const viaRegistry = METHODS.get('mhop-fixed-point')!().prepare(fixedInstance(memories))(x);
    expect(viaRegistry).toEqual({ probs: fixed.probs, retrieved: fixed.retrieved });
  });

  it('an A-Hop ablation footprint reaches both training and retrieval', () => {
    const memories = rand(4, 3).map((m) => m.map((v) => (v + 1) / 2));
    const instance = createInstance(memories, noisy(0.3), 16, 3);
    const q = samplePairs(memories, noisy(0.3), 1, createRng(4)).queries[0];
    const footprint = { sort: false, cumulative: false };
    const expected = (f: typeof footprint) => retrieve(memories, q, trainOnPairs(memories, instance.train, { epochs: 2, footprint: f, seed: 3 }).params, f).probs;
    const got = ahopMethod('ablation', { epochs: 2, footprint }).prepare(instance)(q).probs;
    expect(got).toEqual(expected(footprint));
    expect(got).not.toEqual(expected(FULL_FOOTPRINT));
    expect(ahopMethod('full', { epochs: 2 }).prepare(instance)(q).probs).toEqual(expected(FULL_FOOTPRINT));
  });
});

describe('the registry', () => {
  it('TRAINED_METHODS is exactly the six A-Hop rows and u2hop', () => {
    const expected = ['ahop', 'ahop:nosort-noU', 'ahop:nosort-U', 'ahop:sort-noU', 'ahop:dis', 'ahop:dot', 'u2hop'];
    expect([...TRAINED_METHODS].sort()).toEqual(expected.sort());
  });

  it("the ablation rows' footprints follow their names: nosort ⇒ no sort, noU ⇒ no cumulative sum", () => {
    const ablations = AHOP_VARIANTS.filter((v) => /^ahop:(no)?sort-(no)?U$/.test(v.name));
    expect(ablations.map((v) => v.name).sort()).toEqual(['ahop:nosort-U', 'ahop:nosort-noU', 'ahop:sort-noU']);
    for (const v of ablations) {
      expect(v.footprint, v.name).toEqual({ sort: !v.name.includes('nosort'), cumulative: !v.name.endsWith('noU') });
    }
    for (const v of AHOP_VARIANTS.filter((r) => !ablations.includes(r))) expect(v.footprint, v.name).toEqual(FULL_FOOTPRINT);
  });
});

describe('boundary checks', () => {
  it('identityMap is I, and refuses d = 0 or d = 1.5 naming d', () => {
    expect(Array.from(identityMap(2))).toEqual([1, 0, 0, 1]);
    expect(Array.from(identityMap(1))).toEqual([1]);
    for (const d of [0, 1.5, -1]) {
      const e = thrown(() => identityMap(d));
      expect(e, String(d)).toBeInstanceOf(DomainError);
      expect(e.message).toMatch(new RegExp(`^d must be a positive integer, got ${d}`));
    }
  });

  it('checkU2Model refuses d = 0 or d = 1.5 naming model.d (before looking at W)', () => {
    for (const [d, size] of [[0, 0], [1.5, 2], [-1, 1]]) {
      const e = thrown(() => checkU2Model({ d, w: new Float64Array(size), beta: 1 }));
      expect(e, String(d)).toBeInstanceOf(DomainError);
      expect(e.message).toMatch(new RegExp(`model\\.d must be a positive integer, got ${d}`));
    }
    expect(checkU2Model({ d: 1, w: Float64Array.of(2), beta: 1 }).d).toBe(1);
  });

  it('createInstance refuses a variant of another dimension, naming both, and accepts a dimension-free one', () => {
    const memories = [[0, 0, 0], [1, 1, 1]];
    const e = thrown(() => createInstance(memories, noisy([1, 1]), 4, 0));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/variant has dimension 2 but memories have d = 3/);
    expect(createInstance(memories, noisy(0.5), 4, 0).train.queries).toHaveLength(4);
    expect(createInstance(memories, noisy([1, 1, 1]), 4, 0).train.queries).toHaveLength(4);
  });

  it('checkPairs refuses empty queries, naming train.queries', () => {
    const e = thrown(() => checkPairs({ queries: [], targets: [] }, 2, 2));
    expect(e).toBeInstanceOf(DomainError);
    expect(e.message).toMatch(/train\.queries must be a non-empty array/);
    expect(checkPairs({ queries: [[1, 2]], targets: [1] }, 2, 2)).toEqual({ queries: [[1, 2]], targets: [1] });
  });

  it("checkDegree accepts 1 and 2 and refuses 1.5, 0 and '2', naming degree", () => {
    expect(checkDegree(1)).toBe(1);
    expect(checkDegree(2)).toBe(2);
    for (const bad of [1.5, 0, '2']) {
      const e = thrown(() => checkDegree(bad));
      expect(e, String(bad)).toBeInstanceOf(DomainError);
      expect(e.message).toMatch(/degree must be an integer >= 1/);
    }
  });
});

describe('the M-Hop fixed point', () => {
  it('tol = 0 is accepted and stops only at an exact fixed point', () => {
    // One memory: the first update lands on ξ (change 2), the second changes nothing (change 0 ≤ 0).
    const r = mhopFixedPoint([[1, 2]], [0, 0], 1, { tol: 0 });
    expect(r).toEqual({ probs: [1], retrieved: [1, 2], steps: 2, converged: true });
  });

  it('the stopping rule is change ≤ tol · (1 + max_i |x_i|), relative to the current iterate', () => {
    // Ξ = I, β = 1, x = (3, 0): y = softmax(3, 0), so the change is 3 − y_0 and max |x_i| = 3.
    const memories = [[1, 0], [0, 1]];
    const y0 = 1 / (1 + Math.exp(-3));
    const change = 3 - y0;
    // tol = change/2: tol · (1 + 3) = 2 · change, converged after one update (tol alone would not be).
    const a = mhopFixedPoint(memories, [3, 0], 1, { tol: change / 2 });
    expect(a.steps).toBe(1);
    expect(a.converged).toBe(true);
    expect(a.retrieved[0]).toBeCloseTo(y0, 15);
    // tol = change/5: tol · 4 = 0.8 · change, not converged.
    const b = mhopFixedPoint(memories, [3, 0], 1, { tol: change / 5, maxSteps: 1 });
    expect(b.steps).toBe(1);
    expect(b.converged).toBe(false);
  });

  it('maxSteps = 3 stops an unconverged iteration after three updates, at the third iterate', () => {
    const memories = [[1, 0], [0, 1]];
    const r = mhopFixedPoint(memories, [3, 0], 1, { maxSteps: 3 });
    expect(r.steps).toBe(3);
    expect(r.converged).toBe(false);
    let x = [3, 0];
    for (let t = 0; t < 3; t++) x = mhopRetrieve(memories, x, 1).retrieved;
    expect(r.retrieved).toEqual(x);
  });
});

describe('sparsemax at infinite scores', () => {
  it('+∞ scores share the mass, and the support counts exactly them', () => {
    const r = sparsemaxWithThreshold([Infinity, 0, Infinity]);
    expect(r.probs).toEqual([0.5, 0, 0.5]);
    expect(r.support).toBe(2);
    expect(r.tau).toBeNaN();
  });

  it('all −∞ is uniform with full support', () => {
    const r = sparsemaxWithThreshold([-Infinity, -Infinity, -Infinity]);
    expect(r.probs).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(r.support).toBe(3);
  });
});

describe('trainU2', () => {
  const d = 3;
  const memories = rand(4, d);
  const labels = memories.map((_, k) => k);

  it('names a bad budget before it reads the data (epochs 0, batchSize 1.5, lr 0, lr ∞)', () => {
    // The memories are malformed too: the budget is the first thing checked.
    const pairs = { queries: [[0, 0, 0]], targets: [0] };
    for (const [budget, field] of [[{ epochs: 0 }, 'epochs'], [{ batchSize: 1.5 }, 'batchSize'], [{ batchSize: -2 }, 'batchSize'], [{ lr: 0 }, 'lr'], [{ lr: Infinity }, 'lr']] as const) {
      const e = thrown(() => trainU2('not memories', pairs, budget));
      expect(e, field).toBeInstanceOf(DomainError);
      expect(e.message).toMatch(new RegExp(`^${field} must be a`));
    }
  });

  it('one epoch in one batch is one Adam step on the readable mean gradient, with the mean losses', () => {
    // β = 1e-8 keeps |∂L/∂W| near Adam's ε, so the step shows the gradient's scale, not only its sign.
    const queries = rand(6, d);
    const targets = [0, 1, 2, 3, 1, 2];
    const beta = 1e-8;
    const r = trainU2(memories, { queries, targets }, { epochs: 1, batchSize: 6, beta, safeguard: 'none' });
    const start = meanLossGrad(identityMap(d), d, beta, memories, labels, queries, targets);
    expect(start.grad.every((g) => Math.abs(g) > 1e-11 && Math.abs(g) < 1e-7)).toBe(true);
    expect(r.losses[0]).toBeCloseTo(start.loss, 12);
    expect(r.losses[1]).toBeCloseTo(start.loss, 12);
    const w1 = firstAdamStep(identityMap(d), start.grad);
    w1.forEach((v, j) => expect(r.model.w[j]).toBeCloseTo(v, 12));
    expect(r.finalLoss).toBeCloseTo(meanLossGrad(r.model.w, d, beta, memories, labels, queries, targets).loss, 12);
  });

  it('with a validation split, the returned epoch has the fewest held-out argmax errors, then the lowest held-out loss', () => {
    let differ = 0;
    for (const seed of [0, 1, 2, 3, 4, 5]) {
      const prng = createRng(300 + seed);
      const mem = Array.from({ length: 5 }, () => Array.from({ length: d }, () => prng.uniform()));
      const ps = samplePairs(mem, noisy(0.3), 24, createRng(400 + seed));
      const o = { epochs: 6, batchSize: 6, lr: 0.1, seed, validationShare: 0.5, beta: 2 };
      const { validation } = holdOut(24, 0.5, seed);
      const ws: ArrayLike<number>[] = [identityMap(d)];
      for (let e = 1; e <= 6; e++) ws.push(trainU2(mem, ps, { ...o, epochs: e, safeguard: 'none' }).model.w);
      const value = ws.map((w) => {
        let errors = 0;
        let loss = 0;
        for (const i of validation) {
          const c = classLossGrad(w, d, 2, mem, mem.map((_, k) => k), ps.queries[i], ps.targets[i]);
          if (c.scores.indexOf(Math.max(...c.scores)) !== ps.targets[i]) errors++;
          loss += c.loss;
        }
        return [errors, loss / validation.length];
      });
      const argminBy = (less: (a: number[], b: number[]) => boolean) => value.reduce((best, v, e) => (less(v, value[best]) ? e : best), 0);
      const byErrors = argminBy((a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]));
      const byLoss = argminBy((a, b) => a[1] < b[1]);
      if (byErrors !== byLoss) differ++;
      expect(trainU2(mem, ps, o).bestEpoch, `seed ${seed}`).toBe(byErrors);
    }
    // Errors-first and loss-only disagree on some instance, so the expectation can tell them apart.
    expect(differ).toBeGreaterThan(0);
  });
});

describe('trainU2Class', () => {
  const d = 3;
  const memories = rand(6, d);
  const memoryLabels = [0, 0, 1, 1, 2, 2];
  // Leave-one-out: each memory is a query, its own memory left out of its softmax.
  const loo = { queries: memories, labels: memoryLabels, self: [0, 1, 2, 3, 4, 5] };
  // Fresh queries have no memory of their own: no `self`.
  const fresh = { queries: rand(5, d), labels: [0, 1, 2, 0, 1] };

  it('refuses memoryLabels of another length than the memories, naming memoryLabels', () => {
    const e = thrown(() => trainU2Class(memories, [0, 1], loo, { epochs: 1 }));
    expect(e).toBeInstanceOf(DomainError);
    expect(e.message).toMatch(/memoryLabels must have one label per memory \(6\), got 2/);
  });

  it('losses[0] is the readable mean class loss at W = I and β = 1/√d, with each query\'s own memory left out', () => {
    const r = trainU2Class(memories, memoryLabels, loo, { epochs: 1 });
    const beta = 1 / Math.sqrt(d);
    expect(r.model.beta).toBe(beta);
    expect(r.losses[0]).toBeCloseTo(meanLossGrad(identityMap(d), d, beta, memories, memoryLabels, loo.queries, loo.labels, loo.self).loss, 12);
    // Leaving the own memory out matters here (it would be the nearest of its class otherwise).
    expect(Math.abs(r.losses[0] - meanLossGrad(identityMap(d), d, beta, memories, memoryLabels, loo.queries, loo.labels).loss)).toBeGreaterThan(1e-3);
    const f = trainU2Class(memories, memoryLabels, fresh, { epochs: 1 });
    expect(f.losses[0]).toBeCloseTo(meanLossGrad(identityMap(d), d, beta, memories, memoryLabels, fresh.queries, fresh.labels).loss, 12);
  });

  it('init and beta are honoured: losses[0] is the class loss at the given W and β', () => {
    const init = Float64Array.from(rand(1, d * d)[0]);
    const r = trainU2Class(memories, memoryLabels, loo, { epochs: 1, init, beta: 0.7 });
    expect(r.model.beta).toBe(0.7);
    expect(r.losses[0]).toBeCloseTo(meanLossGrad(init, d, 0.7, memories, memoryLabels, loo.queries, loo.labels, loo.self).loss, 12);
  });

  it('one epoch in one batch is one Adam step on the readable mean class gradient, with the mean class losses', () => {
    const init = Float64Array.from(rand(1, d * d)[0]);
    const beta = 1e-8;
    const r = trainU2Class(memories, memoryLabels, loo, { epochs: 1, batchSize: 6, beta, init, safeguard: 'none' });
    const start = meanLossGrad(init, d, beta, memories, memoryLabels, loo.queries, loo.labels, loo.self);
    expect(start.grad.every((g) => Math.abs(g) > 1e-11 && Math.abs(g) < 1e-7)).toBe(true);
    expect(r.losses).toHaveLength(2);
    expect(r.losses[0]).toBeCloseTo(start.loss, 12);
    expect(r.losses[1]).toBeCloseTo(start.loss, 12);
    const w1 = firstAdamStep(init, start.grad);
    w1.forEach((v, j) => expect(r.model.w[j]).toBeCloseTo(v, 12));
    expect(r.bestEpoch).toBe(1);
    expect(r.finalLoss).toBeCloseTo(meanLossGrad(r.model.w, d, beta, memories, memoryLabels, loo.queries, loo.labels, loo.self).loss, 12);
  });

  it('criterion decides the returned epoch; without one, the lowest training class loss does', () => {
    const o = { epochs: 5, batchSize: 2, lr: 0.1, seed: 7, beta: 2 };
    const ws: ArrayLike<number>[] = [identityMap(d)];
    for (let e = 1; e <= 5; e++) ws.push(trainU2Class(memories, memoryLabels, loo, { ...o, epochs: e, safeguard: 'none' }).model.w);
    // A criterion that prefers the third iterate: its squared distance from W_3.
    const target = Array.from(ws[3]);
    const dist = (w: ArrayLike<number>) => target.reduce((a, v, j) => a + (w[j] - v) ** 2, 0);
    const r = trainU2Class(memories, memoryLabels, loo, { ...o, criterion: (m) => dist(m.w) });
    expect(r.bestEpoch).toBe(3);
    expect(Array.from(r.model.w)).toEqual(target);
    const trainLoss = ws.map((w) => meanLossGrad(w, d, 2, memories, memoryLabels, loo.queries, loo.labels, loo.self).loss);
    const byLoss = trainLoss.reduce((best, v, e) => (v < trainLoss[best] ? e : best), 0);
    expect(byLoss).not.toBe(3);
    expect(trainU2Class(memories, memoryLabels, loo, o).bestEpoch).toBe(byLoss);
  });

  it("safeguard 'none' returns the last iterate even where the criterion prefers the start", () => {
    const o = { epochs: 3, batchSize: 3, beta: 2, seed: 1 };
    const fromStart = (m: { w: Float64Array }) => m.w.reduce((a, v, j) => a + (v - identityMap(d)[j]) ** 2, 0);
    const kept = trainU2Class(memories, memoryLabels, loo, { ...o, criterion: fromStart });
    expect(kept.bestEpoch).toBe(0);
    expect(Array.from(kept.model.w)).toEqual(Array.from(identityMap(d)));
    const last = trainU2Class(memories, memoryLabels, loo, { ...o, criterion: fromStart, safeguard: 'none' });
    expect(last.bestEpoch).toBe(3);
    expect(fromStart(last.model)).toBeGreaterThan(0);
    expect(last.finalLoss).toBeCloseTo(meanLossGrad(last.model.w, d, 2, memories, memoryLabels, loo.queries, loo.labels, loo.self).loss, 12);
  });
});
