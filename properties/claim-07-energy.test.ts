/**
 * Claim 7 — energy E(x) = −lse(s(Ξ, x)) along x_{t+1} = T(x_t) = Ξ softmax(s(Ξ, x_t)) (docs/theory.md §7).
 *
 * Lemma (majorisation). lse is convex, so with p = softmax(s(Ξ, x)) and y = T(x):
 *   E(y) ≤ E(x) − Σ_k p_k [s_k(y) − s_k(x)].
 * Hence E(T(x)) ≤ E(x) whenever y = Ξp maximises F(y) = Σ_k p_k s_k(y).
 * Holds: s_k(y) = −(ξ_k − y)ᵀD(ξ_k − y) with one diagonal D ⪰ 0 shared by all memories: F is
 *   maximised at the p-weighted mean Ξp. That covers the isotropic base similarity (w_dis = λe_d,
 *   β_dis λ ≥ 0, β_dot = 0) and the unsorted footprint with per-dimension weights c_i ≥ 0.
 *   Bounded below: along the trajectory E ≥ −log N − max_k s_k ≥ −log N (s ≤ 0).
 * Fails: (i) any dot-product term (β_dot ≠ 0, shown with N = 1); (ii) β_dis < 0; (iii) the sorted
 *   footprint with w_{d−1} ≠ 0 (the small-scale construction below), and in every other sorted,
 *   non-trivial w fast-check tried: the weight D_k then depends on k through the sort order, and
 *   Ξp is no longer the maximiser of F.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { similarityExact } from '../src/conformance/exact.ts';
import { readout, retrieve, scores } from '../src/hopfield/ahop.ts';
import { iterate } from '../src/hopfield/dynamics.ts';
import { logSumExp, softmax } from '../src/numeric/logsumexp.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import type { FootprintOptions } from '../src/similarity/footprint.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';
import { tenths } from './support/theory-instances.ts';
import { shrunkCounterexample } from './support/theory-shrink.ts';
import { depth } from './support/theory-stats.ts';

const RUNS = depth(150, 1500);
const STEPS = 6;
const SORTED: FootprintOptions = { sort: true, cumulative: true };
const UNSORTED: FootprintOptions = { sort: false, cumulative: false };
const U = 2 ** -53;

type Dynamics = (memories: number[][], x: number[], params: AhopParams, steps: number, options: FootprintOptions) => { energies: number[]; states: number[][] };
const reference: Dynamics = (m, x, p, steps, o) => iterate(m, x, p, steps, o);
/** Over-relaxed update x ← x + 2.5 (T(x) − x). */
const overRelaxed: Dynamics = (m, x0, p, steps, o) => {
  const states = [x0];
  const energies: number[] = [];
  for (let t = 0; ; t++) {
    const s = scores(m, states[t], p, o);
    energies.push(-logSumExp(s));
    if (t === steps) break;
    const y = readout(m, softmax(s));
    states.push(states[t].map((v, i) => v + 2.5 * (y[i] - v)));
  }
  return { energies, states };
};

const unit = (d: number) => Array.from({ length: d }, (_, j) => (j === d - 1 ? 1 : 0));

interface Inst {
  memories: number[][];
  x: number[];
  params: AhopParams;
}

/** Memories and start on a tenths grid; parameters from `paramsFor(d)`. */
const instance = (paramsFor: (d: number) => fc.Arbitrary<AhopParams>, minD = 1): fc.Arbitrary<Inst> =>
  fc
    .record({ n: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: minD, max: 4 }) })
    .chain(({ n, d }) =>
      fc.record({
        memories: fc.array(fc.array(tenths(-30, 30), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
        x: fc.array(tenths(-50, 50), { minLength: d, maxLength: d }),
        params: paramsFor(d),
      }),
    );

/** Rounding allowance for comparing two computed energies: a few ulps of the terms lse adds up. */
function roundingBound(m: number[][], x: number[], p: AhopParams, o: FootprintOptions, e: number): number {
  const s = scores(m, x, p, o);
  const d = x.length;
  const mag = Math.max(...s.map(Math.abs)) + Math.abs(e) + 1;
  return 16 * (d + m.length) * U * mag * (1 + Math.abs(p.betaDis) + Math.abs(p.betaDot));
}

/** E(x_{t+1}) ≤ E(x_t) for t < STEPS, up to the rounding allowance. */
const monotone = (dyn: Dynamics, options: FootprintOptions) => (inst: Inst) => {
  const { energies, states } = dyn(inst.memories, inst.x, inst.params, STEPS, options);
  return energies.every((e, t) => t === 0 || e <= energies[t - 1] + roundingBound(inst.memories, states[t], inst.params, options, e));
};

const isotropic = (d: number) => fc.record({ lambda: tenths(0, 30), beta: tenths(0, 30) }).map(({ lambda, beta }) => ({ wDis: unit(d).map((v) => v * lambda), wDot: unit(d), betaDis: beta, betaDot: 0 }));
const perDimension = (d: number) =>
  fc.record({ c: fc.array(tenths(0, 30), { minLength: d, maxLength: d }), beta: tenths(0, 20) }).map(({ c, beta }) => ({ wDis: c, wDot: c.map(() => 0), betaDis: beta, betaDot: 0 }));
const withDot = (d: number) => fc.record({ beta: tenths(1, 20), dotBeta: tenths(-20, 20).filter((v) => v !== 0) }).map(({ beta, dotBeta }) => ({ wDis: unit(d), wDot: unit(d), betaDis: beta, betaDot: dotBeta }));
const negativeBeta = (d: number) => tenths(-20, -1).map((beta) => ({ wDis: unit(d), wDot: unit(d), betaDis: beta, betaDot: 0 }));
const sortedNonTrivial = (d: number) =>
  fc
    .record({ w: fc.array(tenths(0, 20), { minLength: d, maxLength: d }), beta: tenths(1, 20) })
    .map(({ w, beta }) => {
      // Some w_j ≠ 0 with j < d (d ≥ 2): not proportional to e_d.
      const v = w[0] === 0 && w.slice(0, -1).every((c) => c === 0) ? [0.1, ...w.slice(1)] : w;
      return { wDis: v, wDot: v.map(() => 0), betaDis: beta, betaDot: 0 };
    });

/** Exact energies of two float states (64 digits): confirms an increase is not rounding. */
function exactIncrease(inst: Inst, from: number[], to: number[]): number {
  const e0 = similarityExact(inst.memories, from, inst.params).energy;
  const e1 = similarityExact(inst.memories, to, inst.params).energy;
  return e1.minus(e0).toNumber();
}

function refute(label: string, paramsFor: (d: number) => fc.Arbitrary<AhopParams>, minD = 1) {
  const r = shrunkCounterexample(fc.property(instance(paramsFor, minD), monotone(reference, SORTED)), { numRuns: RUNS * 4 });
  const [inst] = r.counterexample;
  const { states, energies } = iterate(inst.memories, inst.x, inst.params, STEPS, SORTED);
  const t = energies.findIndex((e, k) => k > 0 && e > energies[k - 1]);
  const rise = exactIncrease(inst, states[t - 1], states[t]);
  console.log(`claim 7 ${label}: seed ${r.seed} path ${r.path} → ${JSON.stringify(inst)}; E_${t - 1} → E_${t} rises by ${rise.toExponential(3)} (64 digits)`);
  expect(rise).toBeGreaterThan(0);
}

/** The two entry points the claim is about: one retrieval step, and the iterated trajectory. */
interface RetrievalApi {
  retrieve: (memories: number[][], x: number[], params: AhopParams) => { retrieved: number[]; energy: number };
  iterate: (memories: number[][], x: number[], params: AhopParams, steps: number) => { energies: number[]; states: number[][] };
}
const src: RetrievalApi = { retrieve: (m, x, p) => retrieve(m, x, p), iterate: (m, x, p, steps) => iterate(m, x, p, steps) };

const close = (got: number, want: number, scale: number) => Math.abs(got - want) <= 1e-9 * (scale + Math.abs(want));

/**
 * What the dynamics compute, judged in 64 digits (src/conformance/exact.ts: its own footprint,
 * scores, softmax and lse): E(x_t) = −lse(s(Ξ, x_t)), x_{t+1} = Ξ softmax(s(Ξ, x_t)), and
 * retrieve(x) returns E(x) and T(x). A trajectory that stands still, or an energy of the wrong
 * sign, keeps "non-increasing" true; this property does not.
 */
const followsTheEquations = (dyn: RetrievalApi) =>
  fc.property(instance((d) => fc.oneof(isotropic(d), withDot(d), sortedNonTrivial(d)), 1), ({ memories, x, params }) => {
    const scale = 1 + Math.max(...memories.flat().map(Math.abs), ...x.map(Math.abs));
    const { states, energies } = dyn.iterate(memories, x, params, 3);
    const one = dyn.retrieve(memories, x, params);
    const exactAt = (y: number[]) => similarityExact(memories, y, params);
    const e0 = exactAt(x);
    if (!close(one.energy, e0.energy.toNumber(), 1) || !one.retrieved.every((v, i) => close(v, e0.retrieved[i].toNumber(), scale))) return false;
    return states.every((y, t) => {
      const e = exactAt(y);
      if (!close(energies[t], e.energy.toNumber(), 1)) return false;
      return t === states.length - 1 || states[t + 1].every((v, i) => close(v, e.retrieved[i].toNumber(), scale));
    });
  });

const dynamicsMutants: Record<string, RetrievalApi> = {
  'retrieve() returning +lse as its energy': { ...src, retrieve: (m, x, p) => ({ ...retrieve(m, x, p), energy: -retrieve(m, x, p).energy }) },
  'a trajectory that never moves': {
    ...src,
    iterate: (m, x, p, steps) => ({ states: Array.from({ length: steps + 1 }, () => x), energies: Array.from({ length: steps + 1 }, () => retrieve(m, x, p).energy) }),
  },
  'an iteration that reads out with the scores instead of the probabilities': {
    ...src,
    iterate: (m, x0, p, steps) => {
      const states = [x0];
      const energies: number[] = [];
      for (let t = 0; ; t++) {
        const s = scores(m, states[t], p);
        energies.push(-logSumExp(s));
        if (t === steps) break;
        states.push(readout(m, s));
      }
      return { states, energies };
    },
  },
};

describe('claim 7: energy along the retrieval dynamics', () => {
  it('retrieve() and iterate() compute E(x) = −lse(s(Ξ, x)) and x_{t+1} = Ξ softmax(s(Ξ, x_t)) (64-digit judge)', () => {
    expectHolds(followsTheEquations(src), { numRuns: depth(60, 600) });
  });
  for (const [name, dyn] of Object.entries(dynamicsMutants)) {
    it(`… and ${name} is caught`, () => {
      expectCounterexample(followsTheEquations(dyn), { numRuns: 200 });
    });
  }

  it('isotropic negative distance (w_dis = λe_d, β_dis λ ≥ 0, β_dot = 0): E is non-increasing', () => {
    expectHolds(fc.property(instance(isotropic), monotone(reference, SORTED)), { numRuns: RUNS });
  });
  it('… and bounded below by −log N along the trajectory', () => {
    expectHolds(
      fc.property(instance(isotropic), ({ memories, x, params }) => iterate(memories, x, params, STEPS).energies.every((e) => e >= -Math.log(memories.length) - 1e-12)),
      { numRuns: RUNS },
    );
  });
  it('unsorted footprint with per-dimension weights c_i ≥ 0 (a shared diagonal D): E is non-increasing', () => {
    expectHolds(fc.property(instance(perDimension), monotone(reference, UNSORTED)), { numRuns: RUNS });
  });
  it('catches: the over-relaxed update x + 2.5 (T(x) − x)', () => {
    expectCounterexample(fc.property(instance(isotropic), monotone(overRelaxed, SORTED)), { numRuns: RUNS * 4 });
  });

  it('refuted with a dot-product term (β_dot ≠ 0): the shrunk counterexample, confirmed in 64 digits', () => {
    refute('β_dot ≠ 0', withDot);
  });
  it('refuted with β_dis < 0', () => {
    refute('β_dis < 0', negativeBeta);
  });
  it('refuted for the sorted footprint with any w_j ≠ 0, j < d (w ≥ 0, β_dot = 0)', () => {
    refute('sorted, w not ∝ e_d', sortedNonTrivial, 2);
  });

  it('N = 1 with β_dot = b ≠ 0: x₀ = ξ + (b/2a)ξ has E(x₁) = E(ξ) > E(x₀) (64 digits)', () => {
    fc.assert(
      fc.property(fc.array(tenths(-20, 20), { minLength: 1, maxLength: 4 }).filter((v) => v.some((c) => c !== 0)), tenths(1, 20), tenths(-20, 20).filter((b) => b !== 0), (xi, a, b) => {
        const d = xi.length;
        const inst: Inst = { memories: [xi], x: xi.map((v) => v + (b / (2 * a)) * v), params: { wDis: unit(d), wDot: unit(d), betaDis: a, betaDot: b } };
        return exactIncrease(inst, inst.x, xi) > 0;
      }),
      { seed: 7, numRuns: depth(40, 400) },
    );
  });

  it('sorted footprint with w_{d−1} ≠ 0: the small-scale construction raises the energy (64 digits)', () => {
    // Memories ε·{(1, 0), (0, 1), (−1, −1.01)} padded with zeros to d dims; at small ε, p ≈ uniform, so
    // E(T(x)) − E(x) ≈ ε²[F̄(x/ε) − F̄(ȳ)] with F̄ the mean footprint similarity; F̄'s gradient g at the
    // memories' mean ȳ is (c_d − c_{d−1}, −0.01 c_d)-ish ≠ 0 when c_{d−1} ≠ c_d, and x = ε(ȳ + δg) gains.
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.array(tenths(-20, 20), { minLength: 5, maxLength: 5 }), (d, wRaw) => {
        const w = wRaw.slice(0, d);
        if (w[d - 2] === 0) w[d - 2] = 0.5;
        const params: AhopParams = { wDis: w, wDot: w.map(() => 0), betaDis: 1, betaDot: 0 };
        const eps = 1e-3;
        const pad = (v: number[]) => [...v, ...Array(d - 2).fill(0)];
        const base = [pad([1, 0]), pad([0, 1]), pad([-1, -1.01])];
        const mean = base[0].map((_, i) => base.reduce((s, m) => s + m[i], 0) / 3);
        const fbar = (y: number[]) => scores(base, y, params, SORTED).reduce((s, v) => s + v, 0) / 3;
        const h = 1e-6;
        const g = mean.map((_, i) => (fbar(mean.map((v, j) => (j === i ? v + h : v))) - fbar(mean.map((v, j) => (j === i ? v - h : v)))) / (2 * h));
        const delta = 1e-2;
        const memories = base.map((m) => m.map((v) => eps * v));
        const x0 = mean.map((v, i) => eps * (v + delta * g[i]));
        const x1 = iterate(memories, x0, params, 1, SORTED).states[1];
        return exactIncrease({ memories, x: x0, params }, x0, x1) > 0;
      }),
      { seed: 7, numRuns: depth(40, 400) },
    );
  });
});
