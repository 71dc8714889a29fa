/**
 * The layer's VJP (src/hopfield/layer.ts) is the derivative of the layer's forward pass:
 *
 * 1. It equals central finite differences of L(θ) = Σ_b ȳ_b · y_b + Σ_b Ē_b E_b in every input
 *    coordinate θ_i, away from ties. The tolerance is derived from the step, not guessed:
 *      |FD_h − ∂L/∂θ_i| ≤ (h²/6) · max|L'''| + δ/h,
 *    the Taylor remainder of the central difference plus the rounding of two evaluations of L
 *    (each off by at most δ) divided by 2h. max|L'''| over [θ_i − h, θ_i + h] is measured by the
 *    four-point third difference at H = 2e-3 (L(2H) − 2L(H) + 2L(−H) − L(−2H))/(2H³), taken ×4 for
 *    its variation over the interval, plus that difference's own rounding 6δ/(2H³); the instance is
 *    drawn with adjacent sorted q at least GAP apart, and a step of 2H in one coordinate moves
 *    any q by at most 2·(|ξ|+|x|)·2H + (2H)² < GAP/2 for entries in [−2, 2], so the sort order (the
 *    smooth piece) is the same at every point evaluated. δ bounds one evaluation's rounding: the
 *    scores sum d terms of magnitude at most T = Σ_sim |β_sim| Σ_r |c_r q̃_r|, so each s_bk is off by
 *    ≤ d·ε·T; L moves by at most Σ_b (2‖ȳ_b‖₁ max|v| + |Ē_b|) per unit of every s_bk; softmax, lse
 *    and readout add a few ε relative to the magnitude of L's terms. δ takes 16× that sum.
 * 2. It is linear in the cotangent.
 * 3. Its values part is pᵀ·ȳ.
 * Each property is shown to catch a broken VJP.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LAYER_VJP_PARTS,
  layerForward,
  layerVjp,
  layerVjpValidated,
  type LayerCotangent,
  type LayerGradients,
  type LayerInputs,
  type LayerVjpParts,
} from '../src/hopfield/layer.ts';
import { baseSimilarities } from '../src/similarity/base.ts';
import { suffixSums } from '../src/similarity/footprint.ts';
import { finite } from './support/arbitraries.ts';
import { flattenInputs, layerInstance, minGap, unflattenInputs, type LayerInstance } from './support/layer-instances.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type Vjp = (inputs: LayerInputs, cotangent: LayerCotangent) => LayerGradients;

const EPS = Number.EPSILON;
const h = 1e-5;
const H = 2e-3;
const GAP = 0.1;

/** A VJP with one local derivative replaced. */
const mutant =
  (parts: Partial<LayerVjpParts>): Vjp =>
  (i, ct) =>
    layerVjpValidated(i, ct, { ...LAYER_VJP_PARTS, ...parts });

/** Ranks taken ascending: the largest q gets c of the last rank. */
const ranksAscending = mutant({
  gradientInQ: (q, w) => {
    const c = suffixSums(w);
    const order = q.map((_, i) => i).sort((a, b) => q[a] - q[b]);
    const g = new Array<number>(q.length);
    order.forEach((i, r) => (g[i] = c[r]));
    return g;
  },
});

/** The dot term's key gradient uses ξ instead of x. */
const dotKeyUsesXi = mutant({
  baseDerivatives: (base, xi, x) => (base === 'dis' ? LAYER_VJP_PARTS.baseDerivatives(base, xi, x) : { dx: xi, dxi: xi }),
});

/** The softmax Jacobian without its −p pᵀ term. */
const noOuterProduct = mutant({ scoreCotangent: (p, a, e) => p.map((pk, k) => pk * a[k] - e * pk) });

function objective(i: LayerInputs, ct: LayerCotangent): number {
  const f = layerForward(i);
  return f.retrieved.reduce((acc, y, b) => acc + y.reduce((a, v, j) => a + ct.retrieved[b][j] * v, 0), 0) +
    f.energy.reduce((acc, e, b) => acc + ct.energy[b] * e, 0);
}

/** δ: a bound on the rounding of one evaluation of L (see the module comment). */
function roundingBound(i: LayerInputs, ct: LayerCotangent): number {
  const d = i.queries[0].length;
  const p = i.params;
  const cDis = suffixSums(p.wDis);
  const cDot = suffixSums(p.wDot);
  let t = 0;
  for (const x of i.queries) {
    for (const xi of i.keys) {
      const qd = baseSimilarities('dis', xi, x).sort((a, b) => b - a);
      const qt = baseSimilarities('dot', xi, x).sort((a, b) => b - a);
      t = Math.max(t, qd.reduce((a, v, r) => a + Math.abs(p.betaDis * cDis[r] * v), 0) + qt.reduce((a, v, r) => a + Math.abs(p.betaDot * cDot[r] * v), 0));
    }
  }
  const vMax = Math.max(...i.values.flat().map(Math.abs));
  const sensitivity = ct.retrieved.reduce((acc, row, b) => acc + 2 * row.reduce((a, v) => a + Math.abs(v), 0) * vMax + Math.abs(ct.energy[b]), 0);
  const f = layerForward(i);
  const terms =
    f.retrieved.reduce((acc, y, b) => acc + y.reduce((a, v, j) => a + Math.abs(ct.retrieved[b][j] * v), 0), 0) +
    f.energy.reduce((acc, e, b) => acc + Math.abs(ct.energy[b] * e), 0);
  return 16 * EPS * (sensitivity * i.keys.length * d * t + 8 * terms + 1);
}

const smooth = layerInstance().filter(({ inputs }) => minGap(inputs) > GAP);

/** Per coordinate: the central difference at h and the tolerance derived in the module comment. */
function finiteDifferences(inputs: LayerInputs, cotangent: LayerCotangent): { fd: number; tol: number }[] {
  const theta = flattenInputs(inputs);
  const delta = roundingBound(inputs, cotangent);
  return theta.map((t, k) => {
    const at = (step: number) => {
      const shifted = theta.slice();
      shifted[k] = t + step;
      return objective(unflattenInputs(shifted, inputs), cotangent);
    };
    const fd = (at(h) - at(-h)) / (2 * h);
    const third = Math.abs(at(2 * H) - 2 * at(H) + 2 * at(-H) - at(-2 * H)) / (2 * H ** 3) + (6 * delta) / (2 * H ** 3);
    return { fd, tol: ((h * h) / 6) * 4 * third + delta / h };
  });
}

const matchesFiniteDifferences = (vjp: Vjp) =>
  fc.property(smooth, ({ inputs, cotangent }: LayerInstance) => {
    const g = flattenInputs(vjp(inputs, cotangent));
    return finiteDifferences(inputs, cotangent).every(({ fd, tol }, k) => Math.abs(fd - g[k]) <= tol);
  });

describe('the layer VJP equals central finite differences away from ties', () => {
  it('in every coordinate of queries, keys, values, w_dis, w_dot, β_dis, β_dot', () =>
    expectHolds(matchesFiniteDifferences(layerVjp), { numRuns: 40 }));

  it('… and ranks taken ascending is caught', () => expectCounterexample(matchesFiniteDifferences(ranksAscending), { numRuns: 40 }));

  it("… and the dot term's key gradient using ξ instead of x is caught", () =>
    expectCounterexample(matchesFiniteDifferences(dotKeyUsesXi), { numRuns: 40 }));

  it('… and the softmax Jacobian without its −p pᵀ term is caught', () =>
    expectCounterexample(matchesFiniteDifferences(noOuterProduct), { numRuns: 40 }));
});

const scaled = (ct: LayerCotangent, a: number, other: LayerCotangent): LayerCotangent => ({
  retrieved: ct.retrieved.map((row, b) => row.map((v, j) => a * v + other.retrieved[b][j])),
  energy: ct.energy.map((v, b) => a * v + other.energy[b]),
});

const linearInCotangent = (vjp: Vjp) =>
  fc.property(
    layerInstance().chain((i) =>
      fc.record({ i: fc.constant(i), other: layerInstanceCotangent(i), a: finite(3) }),
    ),
    ({ i, other, a }) => {
      const lhs = flattenInputs(vjp(i.inputs, scaled(i.cotangent, a, other)));
      const g1 = flattenInputs(vjp(i.inputs, i.cotangent));
      const g2 = flattenInputs(vjp(i.inputs, other));
      // Each side sums the same products in a different grouping: allow a few ε of their magnitude.
      return lhs.every((v, k) => Math.abs(v - (a * g1[k] + g2[k])) <= 1e-12 * (1 + Math.abs(a * g1[k]) + Math.abs(g2[k]) + Math.abs(v)));
    },
  );

function layerInstanceCotangent(i: LayerInstance): fc.Arbitrary<LayerCotangent> {
  const b = i.inputs.queries.length;
  const dv = i.inputs.values[0].length;
  return fc.record({
    retrieved: fc.array(fc.array(finite(2), { minLength: dv, maxLength: dv }), { minLength: b, maxLength: b }),
    energy: fc.array(finite(2), { minLength: b, maxLength: b }),
  });
}

describe('the layer VJP is linear in the cotangent', () => {
  it('VJP(a·ct₁ + ct₂) = a·VJP(ct₁) + VJP(ct₂)', () => expectHolds(linearInCotangent(layerVjp), { numRuns: 60 }));

  it('… and an energy term added unscaled (−p for any nonzero Ē) is caught', () =>
    expectCounterexample(
      linearInCotangent(mutant({ scoreCotangent: (p, a, e) => LAYER_VJP_PARTS.scoreCotangent(p, a, e === 0 ? 0 : 1) })),
      { numRuns: 60 },
    ));
});

const valuesGradientIsPtCt = (vjp: Vjp) =>
  fc.property(layerInstance(), ({ inputs, cotangent }) => {
    const p = layerForward(inputs).probs;
    const g = vjp(inputs, cotangent).values;
    return g.every((row, k) =>
      row.every((v, j) => {
        const terms = p.map((pb, b) => pb[k] * cotangent.retrieved[b][j]);
        const expected = terms.reduce((a, t) => a + t, 0);
        return Math.abs(v - expected) <= 4 * EPS * terms.reduce((a, t) => a + Math.abs(t), 0);
      }),
    );
  });

describe('the VJP with respect to the values is pᵀ·ȳ', () => {
  it('∂L/∂v_kj = Σ_b p_bk ȳ_bj', () => expectHolds(valuesGradientIsPtCt(layerVjp), { numRuns: 80 }));

  it('… and a values gradient that keeps only the last query of the batch is caught', () =>
    expectCounterexample(
      valuesGradientIsPtCt((i, ct) => {
        const last = i.queries.length - 1;
        const g = layerVjp({ ...i, queries: [i.queries[last]] }, { retrieved: [ct.retrieved[last]], energy: [ct.energy[last]] });
        return { ...layerVjp(i, ct), values: g.values };
      }),
    ));
});

describe('the finite-difference tolerance is not vacuous', () => {
  it('it is far below the size of the gradients it checks (median tol/|g| < 1e-5, max < 1e-2)', () => {
    const ratios: number[] = [];
    for (const { inputs, cotangent } of fc.sample(smooth, { seed: 3, numRuns: 20 })) {
      const g = flattenInputs(layerVjp(inputs, cotangent));
      finiteDifferences(inputs, cotangent).forEach(({ tol }, k) => Math.abs(g[k]) > 1e-3 && ratios.push(tol / Math.abs(g[k])));
    }
    ratios.sort((a, b) => a - b);
    expect(ratios[Math.floor(ratios.length / 2)]).toBeLessThan(1e-5);
    expect(ratios[ratios.length - 1]).toBeLessThan(1e-2);
  });
});
