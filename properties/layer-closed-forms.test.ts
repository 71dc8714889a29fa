/**
 * The layer and its VJP reduce to known closed forms:
 * 1. With w_dis = e_d (so c = suffixSums(w) is all ones and s_dis = −‖ξ − x‖²) and β_dot = 0, the
 *    layer is attention with negative squared distance, s_bk = −β ‖ξ_k − x_b‖², and its gradient is
 *    that of the closed form written out here from scratch.
 * 2. The cross-entropy gradient of training (src/train/loss.ts) is the special case values = I_N
 *    (so y = p) with ȳ = −e_t / p_t and Ē = 0: then L's derivative is that of −log p_t.
 * 3. On a sample of cases the float64 VJP agrees with the same equations in 64-digit arithmetic.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { layerVjpExact } from '../src/conformance/kinds-layer.ts';
import { LAYER_VJP_PARTS, layerForward, layerVjp, layerVjpValidated, type LayerCotangent, type LayerGradients, type LayerInputs } from '../src/hopfield/layer.ts';
import { lossAndGradient } from '../src/train/loss.ts';
import { layerInstance, minGap } from './support/layer-instances.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

type Vjp = (inputs: LayerInputs, cotangent: LayerCotangent) => LayerGradients;

const close = (a: number, b: number, scale: number, rel = 1e-10) => Math.abs(a - b) <= rel * (1 + scale);

const noOuterProduct: Vjp = (i, ct) =>
  layerVjpValidated(i, ct, { ...LAYER_VJP_PARTS, scoreCotangent: (p, a, e) => p.map((pk, k) => pk * a[k] - e * pk) });

// ---------- 1. attention with negative squared distance ----------

/** s_bk = −β‖ξ_k − x_b‖², P = softmax rows, Y = P V, E_b = −lse(s_b), and the gradient of L, by hand. */
function distanceAttention(x: number[][], keys: number[][], v: number[][], beta: number, ct: LayerCotangent) {
  const sq = (a: number[], b: number[]) => a.reduce((acc, ai, i) => acc + (ai - b[i]) ** 2, 0);
  const s = x.map((xb) => keys.map((k) => -beta * sq(k, xb)));
  const P = s.map((row) => {
    const m = Math.max(...row);
    const e = row.map((z) => Math.exp(z - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((t) => t / z);
  });
  // G = ∂L/∂S: for softmax rows, G_bk = P_bk (A_bk − Σ_j P_bj A_bj) − Ē_b P_bk with A = ȳ Vᵀ.
  const A = ct.retrieved.map((yb) => v.map((vk) => vk.reduce((acc, vj, j) => acc + vj * yb[j], 0)));
  const G = P.map((pb, b) => {
    const mean = pb.reduce((acc, p, k) => acc + p * A[b][k], 0);
    return pb.map((p, k) => p * (A[b][k] - mean) - ct.energy[b] * p);
  });
  const d = x[0].length;
  return {
    retrieved: P.map((pb) => v[0].map((_, j) => pb.reduce((acc, p, k) => acc + p * v[k][j], 0))),
    // ∂S_bk/∂x_b = 2β(ξ_k − x_b), ∂S_bk/∂ξ_k = 2β(x_b − ξ_k), ∂S_bk/∂β = −‖ξ_k − x_b‖².
    queries: x.map((xb, b) => Array.from({ length: d }, (_, i) => keys.reduce((acc, k, kk) => acc + G[b][kk] * 2 * beta * (k[i] - xb[i]), 0))),
    keys: keys.map((k, kk) => Array.from({ length: d }, (_, i) => x.reduce((acc, xb, b) => acc + G[b][kk] * 2 * beta * (xb[i] - k[i]), 0))),
    values: v.map((vk, kk) => vk.map((_, j) => P.reduce((acc, pb, b) => acc + pb[kk] * ct.retrieved[b][j], 0))),
    beta: G.reduce((acc, gb, b) => acc + gb.reduce((a, g, kk) => a + g * -sq(keys[kk], x[b]), 0), 0),
  };
}

const distanceInstance = layerInstance().map(({ inputs, cotangent }) => {
  const d = inputs.queries[0].length;
  const eD = Array.from({ length: d }, (_, j) => (j === d - 1 ? 1 : 0));
  return { inputs: { ...inputs, params: { ...inputs.params, wDis: eD, betaDis: Math.abs(inputs.params.betaDis) / 4, betaDot: 0 } }, cotangent };
});

const matchesDistanceAttention = (vjp: Vjp) =>
  fc.property(distanceInstance, ({ inputs, cotangent }) => {
    const ref = distanceAttention(inputs.queries, inputs.keys, inputs.values, inputs.params.betaDis, cotangent);
    const y = layerForward(inputs).retrieved;
    const g = vjp(inputs, cotangent);
    const scale = Math.max(1, ...[...g.queries.flat(), ...g.keys.flat()].map(Math.abs));
    const same = (a: number[][], b: number[][]) => a.every((row, r) => row.every((v, i) => close(v, b[r][i], scale, 1e-9)));
    return (
      same(y, ref.retrieved) && same(g.queries, ref.queries) && same(g.keys, ref.keys) && same(g.values, ref.values) && close(g.params.betaDis, ref.beta, scale, 1e-9)
    );
  });

describe('with w_dis = e_d and β_dot = 0 the layer is attention with negative squared distance', () => {
  it('its outputs and its gradients for queries, keys, values and β match the closed form', () =>
    expectHolds(matchesDistanceAttention(layerVjp), { numRuns: 80 }));

  it('… and the softmax Jacobian without its −p pᵀ term is caught', () =>
    expectCounterexample(matchesDistanceAttention(noOuterProduct), { numRuns: 80 }));

  it('… and the distance derivative with the wrong sign for the keys is caught', () =>
    expectCounterexample(
      matchesDistanceAttention((i, ct) =>
        layerVjpValidated(i, ct, {
          ...LAYER_VJP_PARTS,
          baseDerivatives: (base, xi, x) => (base === 'dis' ? { dx: 2 * (xi - x), dxi: 2 * (xi - x) } : LAYER_VJP_PARTS.baseDerivatives(base, xi, x)),
        }),
      ),
      { numRuns: 80 },
    ));
});

// ---------- 2. the cross-entropy gradient of training ----------

const crossEntropyInstance = layerInstance(3, 4).chain(({ inputs }) =>
  fc.record({ x: fc.constant(inputs.queries[0]), inputs: fc.constant(inputs), t: fc.nat({ max: inputs.keys.length - 1 }) }),
);

const crossEntropyIsSpecialCase = (vjp: Vjp) =>
  fc.property(crossEntropyInstance, ({ x, inputs, t }) => {
    const n = inputs.keys.length;
    const identity = Array.from({ length: n }, (_, k) => Array.from({ length: n }, (_, j) => (j === k ? 1 : 0)));
    const layer = { ...inputs, queries: [x], values: identity };
    const p = layerForward(layer).probs[0];
    fc.pre(p[t] > 1e-6);
    const ct = { retrieved: [identity[t].map((e) => -e / p[t])], energy: [0] };
    const g = vjp(layer, ct).params;
    const ref = lossAndGradient(inputs.keys, x, t, inputs.params).grad;
    const flat = (q: typeof g) => [...q.wDis, ...q.wDot, q.betaDis, q.betaDot];
    const a = flat(g);
    const b = flat(ref);
    const scale = Math.max(...b.map(Math.abs));
    // ȳ = −e_t/p_t multiplies rounding by 1/p_t: allow that much more.
    return a.every((v, k) => close(v, b[k], scale / p[t], 1e-9));
  });

describe('the cross-entropy gradient of training is the special case values = I_N, ȳ = −e_t/p_t, Ē = 0', () => {
  it('the params part of the VJP equals lossAndGradient', () => expectHolds(crossEntropyIsSpecialCase(layerVjp), { numRuns: 80 }));

  it('… and the softmax Jacobian without its −p pᵀ term is caught', () =>
    expectCounterexample(crossEntropyIsSpecialCase(noOuterProduct), { numRuns: 80 }));
});

// ---------- 3. 64-digit agreement ----------

const agreesWithExact = (vjp: Vjp) =>
  fc.property(layerInstance(2, 4).filter(({ inputs }) => minGap(inputs) > 1e-6), ({ inputs, cotangent }) => {
    const g = vjp(inputs, cotangent);
    const e = layerVjpExact(inputs, cotangent);
    const flatG = [...g.queries.flat(), ...g.keys.flat(), ...g.values.flat(), ...g.params.wDis, ...g.params.wDot, g.params.betaDis, g.params.betaDot];
    const flatE = [...e.queries.flat(), ...e.keys.flat(), ...e.values.flat(), ...e.params.wDis, ...e.params.wDot, e.params.betaDis, e.params.betaDot].map((v) =>
      v.toNumber(),
    );
    const scale = Math.max(...flatE.map(Math.abs));
    // Sums of a few dozen mixed-sign products: float64 is within ~100 ε of the largest term.
    return flatG.every((v, k) => Math.abs(v - flatE[k]) <= 1e-12 * (1 + scale) * 100);
  });

describe('the float64 VJP agrees with 64-digit arithmetic', () => {
  it('on a sample of cases without ties', () => expectHolds(agreesWithExact(layerVjp), { numRuns: 15 }));

  it('… and ranks taken ascending is caught', () =>
    expectCounterexample(
      agreesWithExact((i, ct) =>
        layerVjpValidated(i, ct, {
          ...LAYER_VJP_PARTS,
          gradientInQ: (q, w) => LAYER_VJP_PARTS.gradientInQ(q.map((v) => -v), w),
        }),
      ),
      { numRuns: 15 },
    ));
});
